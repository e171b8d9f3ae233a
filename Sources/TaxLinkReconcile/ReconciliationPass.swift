import TaxLinkCore
import TaxLinkStore

/// One reconciliation over a snapshot: a single pass over the latest revision of every record, then the
/// rules that need what the pass gathered (refunds, declarations, sellers, settlements, rejections).
struct ReconciliationPass {
    let asOf: Timestamp
    let configuration: Reconciler.Configuration
    private(set) var findings: [FindingContent] = []
    private(set) var ledger = SellerLedger()
    private var refunds: [TransactionRecord] = []
    /// Quarantined latest revisions whose flags no longer quarantine.
    private var releases: [RecordRevision] = []

    init(asOf: Timestamp, configuration: Reconciler.Configuration) {
        self.asOf = asOf
        self.configuration = configuration
    }

    /// What a reconciliation computed: the findings sorted by id, and the records to release.
    struct Outcome: Sendable {
        var findings: [FindingContent]
        var releases: [RecordRevision]
    }

    /// Runs every rule over `snapshot`.
    static func run(
        _ snapshot: any ReconciliationSnapshot,
        asOf: Timestamp,
        configuration: Reconciler.Configuration
    ) throws -> Outcome {
        let settlements = try SettlementIndex(snapshot)
        let scan = try ParallelScan.run(
            snapshot,
            settlements: settlements,
            workers: configuration.workers,
            batchSize: max(1, configuration.scanBatchSize)
        ) {
            ReconciliationPass(asOf: asOf, configuration: configuration)
        }
        var pass = scan.passes[0]
        for part in scan.passes.dropFirst() { pass.merge(part) }
        try pass.finish(snapshot)
        pass.findings += try SettlementRules.orphans(settlements, met: scan.settledSales, snapshot: snapshot)
        return Outcome(
            findings: pass.findings.sorted { $0.id < $1.id },
            releases: pass.releases.sorted { ($0.recordID, $0.revision) < ($1.recordID, $1.revision) }
        )
    }

    /// Takes in a pass over other records.
    mutating func merge(_ other: ReconciliationPass) {
        findings += other.findings
        refunds += other.refunds
        releases += other.releases
        ledger.merge(other.ledger)
    }

    /// The record codes, the net figures and the settlement checks of one record. A record that cannot be
    /// read, or whose amounts break ``TaxLinkCore/RecordLimits``, becomes a `RECONCILE_ERROR` finding and
    /// is left out of every other rule. A quarantined record whose flags no longer quarantine is released.
    /// `settled` is Σ the settlements of a sale's order (`nil` when none).
    mutating func visit(_ row: LatestRecordRow, facts: RecordFacts?, settled: Int64?) {
        if QuarantineRelease.releases(status: row.status, flags: row.flags) {
            releases.append(RecordRevision(recordID: row.recordID, revision: row.revision))
        }
        let record: TransactionRecord
        do {
            record = try RecordRowDecoder.computable(row, facts: facts)
        } catch {
            findings.append(FindingBuilder.reconcileError(row, reason: "\(error)"))
            return
        }
        if row.flags.isEmpty {
            // A record without ingest flags shows none of the eight record codes.
            ledger.add(record, shares: SellerLedger.shares(of: record, rates: configuration.rates))
        } else {
            let assessment = RecordAssessment(
                record: record,
                sourceDifference: row.sourceDifference,
                schedule: configuration.rates
            )
            for finding in assessment.findings {
                findings.append(
                    FindingBuilder.record(
                        record,
                        code: finding.code,
                        expected: finding.expected,
                        actual: finding.actual,
                        amountAtRisk: finding.amountAtRisk,
                        detail: finding.detail
                    )
                )
            }
            ledger.add(record, shares: SellerLedger.shares(of: record, expected: assessment.expected))
        }
        switch record.kind {
        case .sale: checkSettlement(record, settled: settled, cashOnDelivery: row.cashOnDelivery)
        case .refund: refunds.append(record)
        }
    }

    private mutating func checkSettlement(_ sale: TransactionRecord, settled: Int64?, cashOnDelivery: Bool) {
        let buyerPaid = sale.amounts.buyerPaid
        if let settled {
            guard settled != buyerPaid else { return }
            guard
                let difference = findings.withinCeiling(
                    VND.difference(settled, buyerPaid),
                    of: sale,
                    reason: "settled amount \(settled) is beyond the ceiling of \(VND.ceilingDescription)"
                )
            else { return }
            findings.append(
                FindingBuilder.record(
                    sale,
                    code: .settlementMismatch,
                    expected: .int(buyerPaid),
                    actual: .int(settled),
                    amountAtRisk: abs(difference),
                    detail: "settled amount differs from buyer_paid"
                )
            )
        } else if !cashOnDelivery, asOf.seconds - sale.occurredAt.seconds > configuration.settlementGraceSeconds {
            findings.append(
                FindingBuilder.record(
                    sale,
                    code: .settlementMissing,
                    expected: .int(buyerPaid),
                    actual: nil,
                    amountAtRisk: 0,
                    detail: "non-COD sale without a gateway settlement"
                )
            )
        }
    }

    /// The rules that look across records.
    private mutating func finish(_ snapshot: any ReconciliationSnapshot) throws {
        let rates = configuration.rates
        findings += try RefundRules.findings(refunds: refunds, snapshot: snapshot, rates: rates)
        findings += try snapshot.pendingReturnClaims().map(RefundRules.orphan(claim:))
        findings += ledger.outOfRange().map { key, slot in
            FindingBuilder.reconcileError(
                platform: key.platform,
                period: slot.period,
                sellerID: key.sellerID,
                group: slot.group,
                reason: "its net figures are beyond the ceiling of \(VND.ceilingDescription)"
            )
        }
        findings += DeclarationRules.findings(declarations: try snapshot.declarationsInForce(), ledger: ledger)
        findings += sellerConflicts()
        findings += try RejectionRules.findings(snapshot: snapshot, rates: rates)
    }

    private func sellerConflicts() -> [FindingContent] {
        let code = DiscrepancyCode.sellerIDConflict
        return ledger.sellers.filter { $0.value.taxIDs.count > 1 }.sorted { $0.key < $1.key }.map { key, state in
            let ids = state.taxIDs.sorted()
            return FindingContent(
                id: FindingBuilder.id(code, [key.platform, key.sellerID]),
                code: code,
                scope: .seller,
                severity: FindingBuilder.severity(code, amountAtRisk: 0),
                platform: key.platform,
                taxPeriod: nil,
                platformSellerID: key.sellerID,
                category: nil,
                taxID: nil,
                recordID: nil,
                externalID: nil,
                revision: nil,
                expected: "one tax id per platform_seller_id",
                actual: .array(ids.map { .string($0) }),
                amountAtRisk: 0,
                detail: "the seller's records carry \(ids.count) different tax ids"
            )
        }
    }
}
