import TaxLinkCore
import TaxLinkStore

/// `RECONCILE_ERROR`: what reconciliation could not compute on is reported, and the run goes on.
extension FindingBuilder {
    /// A stored record that cannot be read, or whose amounts break ``TaxLinkCore/RecordLimits`` (it may
    /// predate the ceiling): identified by its record id, like the other record codes.
    static func reconcileError(_ row: LatestRecordRow, reason: String) -> FindingContent {
        let code = DiscrepancyCode.reconcileError
        let recordID = "\(row.platform):\(row.kind.rawValue):\(row.externalID)"
        return FindingContent(
            id: id(code, [recordID]),
            code: code,
            scope: .record,
            severity: severity(code, amountAtRisk: 0),
            platform: row.platform,
            taxPeriod: row.occurredAt.isSupported ? TaxPeriod(containing: row.occurredAt).description : nil,
            platformSellerID: row.sellerID,
            category: nil,
            taxID: nil,
            recordID: recordID,
            externalID: row.externalID,
            revision: row.revision,
            expected: "a record within the limits of ecom-tax-record/1",
            actual: nil,
            amountAtRisk: 0,
            detail: "the record cannot be reconciled: \(reason)"
        )
    }

    /// A record that was read but one of whose checks cannot be computed (a sum beyond the ceiling).
    static func reconcileError(_ record: TransactionRecord, reason: String) -> FindingContent {
        self.record(
            record,
            code: .reconcileError,
            expected: .string("amounts within \(VND.ceilingDescription)"),
            actual: nil,
            amountAtRisk: 0,
            detail: "the record cannot be reconciled: \(reason)"
        )
    }

    /// A seller, period and group whose net figures or declared rows cannot be compared (a sum beyond
    /// the ceiling): identified like the declaration codes.
    static func reconcileError(
        platform: String,
        period: TaxPeriod,
        sellerID: String,
        group: BusinessGroup,
        reason: String
    ) -> FindingContent {
        sellerPeriod(
            code: .reconcileError,
            platform: platform,
            period: period,
            sellerID: sellerID,
            group: group,
            taxID: nil,
            expected: .string("net figures within \(VND.ceilingDescription)"),
            actual: nil,
            amountAtRisk: 0,
            detail: "the seller's figures cannot be reconciled: \(reason)"
        )
    }

    /// A pending return stored before the ceiling, whose VAT + PIT reversal leaves it.
    static func reconcileError(claim: ReturnClaim) -> FindingContent {
        self.claim(
            claim,
            code: .reconcileError,
            expected: .string("a withholding reversal within \(VND.ceilingDescription)"),
            actual: claim.reversal.json,
            amountAtRisk: 0,
            detail: "the pending return cannot be reconciled: its VAT + PIT reversal is beyond the ceiling"
        )
    }
}

extension [FindingContent] {
    /// `value` (a sum or difference made by ``TaxLinkCore/VND``), or `nil` after appending a
    /// `RECONCILE_ERROR` for `record` when it left the ceiling, so the caller skips that check.
    mutating func withinCeiling(
        _ value: Int64?,
        of record: TransactionRecord,
        reason: @autoclosure () -> String
    ) -> Int64? {
        guard let value else {
            append(FindingBuilder.reconcileError(record, reason: reason()))
            return nil
        }
        return value
    }
}
