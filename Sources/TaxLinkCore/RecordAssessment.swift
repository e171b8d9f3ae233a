/// What a record shows by itself: the eight discrepancy codes decidable at ingest, each with its
/// amount at risk. Ingest writes the codes into `flags`; the reconciler reports them.
public struct RecordAssessment: Sendable, Hashable {
    /// One code the record shows, with what was expected, what was found and the tax at risk.
    public struct Finding: Sendable, Hashable {
        public var code: DiscrepancyCode
        public var expected: JSONValue
        public var actual: JSONValue
        public var amountAtRisk: Int64
        public var detail: String
    }

    /// The findings, sorted by code.
    public var findings: [Finding]
    /// The expected withholding the findings were measured against.
    public var expected: ExpectedWithholding

    /// The codes, sorted: the record's `flags`.
    public var flags: [DiscrepancyCode] { findings.map(\.code) }

    /// Assesses `record`. `sourceDifference` is the absolute difference when a source total disagreed
    /// with its parts at ingest (TikTok's product total, CSV rows of one order), else `nil`.
    ///
    /// A record whose amounts break ``RecordLimits`` (only one stored before the ceiling existed can) is
    /// not assessed: it shows no codes, and reconciliation reports it as `RECONCILE_ERROR`.
    public init(record: TransactionRecord, sourceDifference: Int64?, schedule: RateSchedule = .standard) {
        guard (try? record.checkComputable()) != nil else {
            self.expected = ExpectedWithholding(groups: [])
            self.findings = []
            return
        }
        let expected = ExpectedWithholding(record: record, schedule: schedule)
        self.expected = expected
        var findings: [Finding] = []
        let expectedTax = expected.total

        switch record.seller.taxIdentity {
        case .missing:
            findings.append(
                Finding(
                    code: .taxIDMissing, expected: "tax code or 12-digit personal id", actual: nil,
                    amountAtRisk: expectedTax, detail: "the seller has no tax id"))
        case .invalid(let given):
            findings.append(
                Finding(
                    code: .taxIDInvalid, expected: "valid tax code or 12-digit personal id", actual: .string(given),
                    amountAtRisk: expectedTax, detail: "the seller's tax id is not valid"))
        case .taxCode, .nationalID:
            break
        }

        let identityDifference = abs(record.amounts.buyerPaid - record.amounts.expectedBuyerPaid)
        if identityDifference > 0 || sourceDifference != nil {
            let difference = max(identityDifference, sourceDifference ?? 0)
            findings.append(
                Finding(
                    code: .amountInconsistent,
                    expected: identityDifference > 0 ? .int(record.amounts.expectedBuyerPaid) : nil,
                    actual: identityDifference > 0 ? .int(record.amounts.buyerPaid) : nil,
                    amountAtRisk: difference,
                    detail: identityDifference > 0
                        ? "buyer_paid differs from gross − seller_discount − platform_discount + shipping_fee"
                        : "a source total disagrees with its parts"))
        }

        if record.seller.type.isWithheld, expectedTax > 0, record.withholding.vat == 0, record.withholding.pit == 0 {
            findings.append(
                Finding(
                    code: .withholdingMissing, expected: expected.json, actual: record.withholding.json,
                    amountAtRisk: expectedTax, detail: "no withholding reported for a withheld seller"))
        } else if !expected.matches(record.withholding) {
            findings.append(
                Finding(
                    code: .withholdingMismatch, expected: expected.json, actual: record.withholding.json,
                    amountAtRisk: max(0, expectedTax - record.withholding.total),
                    detail: "reported withholding outside the tolerance of 1 đồng per business group"))
        }

        if record.lines.contains(where: { $0.category == .unknown }) {
            findings.append(
                Finding(
                    code: .categoryUnknown, expected: "goods|services|transport|other", actual: nil, amountAtRisk: 0,
                    detail: "a line's business group is unknown; highest rates expected"))
        }

        if record.source.receivedAt >= record.taxPeriod.lateReportDeadline {
            findings.append(
                Finding(
                    code: .lateReport, expected: .string(record.taxPeriod.lateReportDeadline.iso8601),
                    actual: .string(record.source.receivedAt.iso8601), amountAtRisk: 0,
                    detail: "received on or after the 21st of the month after its tax period"))
        }

        if record.occurredAt > record.source.receivedAt.adding(seconds: 300) {
            findings.append(
                Finding(
                    code: .futureDated, expected: .string(record.source.receivedAt.iso8601),
                    actual: .string(record.occurredAt.iso8601), amountAtRisk: 0,
                    detail: "occurred more than 5 minutes after it was received"))
        }

        self.findings = findings.sorted { $0.code < $1.code }
    }
}

extension ExpectedWithholding {
    /// `{"vat": …, "pit": …}` of the expected amounts.
    public var json: JSONValue { Withholding(vat: vat, pit: pit).json }
}
