import TaxLinkCore

@testable import TaxLinkStore

/// Findings as the reconciler writes them, for the findings conformance and copy tests.
enum FindingSamples {
    /// A finding of `code` on `platform`, with `amount` at risk; `recordID` `nil` for a seller-level one.
    static func content(
        _ id: String,
        code: String = "LATE_REPORT",
        platform: String = "shopee",
        period: String? = "2026-01",
        seller: String? = "9",
        recordID: String? = nil,
        amount: Int64 = 1_000,
        fingerprint: String = "fp-1"
    ) -> FindingContentRow {
        FindingContentRow(
            id: id,
            code: code,
            scope: recordID == nil ? "seller" : "record",
            severity: "high",
            platform: platform,
            taxPeriod: period,
            platformSellerID: seller,
            category: nil,
            taxID: "0100233488",
            recordID: recordID,
            externalID: recordID.map { String($0.split(separator: ":").last ?? "") },
            revision: recordID == nil ? nil : 1,
            expected: #"{"vat":1000}"#,
            actual: #"{"vat":0}"#,
            amountAtRisk: amount,
            detail: "Thuế chưa khai",
            fingerprint: fingerprint
        )
    }

    /// The workflow columns of a finding in `status`, detected at `detected` and last changed at `updated`.
    static func workflow(_ status: String = "open", detected: Int64 = 1_000, updated: Int64? = nil)
        -> FindingWorkflowRow
    {
        FindingWorkflowRow(
            status: status,
            resolution: status == "resolved" ? "fixed" : nil,
            active: true,
            detectedAt: Timestamp(unixSeconds: detected),
            updatedAt: Timestamp(unixSeconds: updated ?? detected)
        )
    }

    /// A history row: `from` → `to` at `at`.
    static func history(_ from: String?, _ to: String, at: Int64, actor: String = "reconciler") -> FindingHistoryRow {
        FindingHistoryRow(
            at: Timestamp(unixSeconds: at),
            fromStatus: from,
            toStatus: to,
            actor: actor,
            note: from == nil ? nil : "đã xem",
            reason: from == nil ? "detected" : "analyst"
        )
    }

    /// Inserting `content` as detected (open, with its first history row).
    static func insert(_ content: FindingContentRow, at: Int64 = 1_000) -> FindingWrite {
        .insert(content, workflow(detected: at), history: history(nil, "open", at: at))
    }

    /// Moving the finding stored as `version` to `status` at `at`, by an analyst.
    static func move(_ id: String, from version: FindingVersion, to status: String, at: Int64) -> FindingWrite {
        .update(
            id: id,
            expected: version,
            content: nil,
            workflow: workflow(status, detected: version.workflow.detectedAt.seconds, updated: at),
            history: history(version.workflow.status, status, at: at, actor: "analyst")
        )
    }

    /// A finding detected at 1 000, then acknowledged at 1 100 (two history rows), in one call.
    static func detectedThenAcknowledged() -> [FindingWrite] {
        let content = content("f-late-A", recordID: "shopee:sale:A")
        let detected = FindingVersion(fingerprint: content.fingerprint, workflow: workflow(detected: 1_000))
        return [insert(content), move(content.id, from: detected, to: "acknowledged", at: 1_100)]
    }
}
