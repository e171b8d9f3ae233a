import TaxLinkCore
import TaxLinkStore

/// `MINISTRY_REJECTED`: a receipt rejected the latest revision of a record (or named no revision).
enum RejectionRules {
    static func findings(snapshot: any ReconciliationSnapshot, rates: RateSchedule) throws -> [FindingContent] {
        var chosen: [String: MinistryRejection] = [:]
        for rejection in try snapshot.recordRejections() {
            if let current = chosen[rejection.recordID],
                ((current.revision ?? 0), current.batchID) >= ((rejection.revision ?? 0), rejection.batchID)
            {
                continue
            }
            chosen[rejection.recordID] = rejection
        }
        guard !chosen.isEmpty else { return [] }
        var findings: [FindingContent] = []
        try snapshot.latestFacts(recordIDs: chosen.keys.sorted()) { row, facts in
            guard let rejection = chosen[row.recordID], rejection.revision.map({ $0 == row.revision }) ?? true else {
                return
            }
            // A record that cannot be read or is out of range is already a RECONCILE_ERROR of the pass.
            guard let record = try? RecordRowDecoder.computable(row, facts: facts) else { return }
            findings.append(
                FindingBuilder.record(
                    record,
                    code: .ministryRejected,
                    expected: "accepted",
                    actual: .string(rejection.code),
                    amountAtRisk: ExpectedWithholding(record: record, schedule: rates).total,
                    detail: "rejected in batch \(rejection.batchID): \(rejection.message)"
                )
            )
        }
        return findings
    }
}
