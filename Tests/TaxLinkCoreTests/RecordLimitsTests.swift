import Testing

@testable import TaxLinkCore

@Suite("Record limits and checked sums")
struct RecordLimitsTests {
    static func record(lines: [Int64] = [1_000_000], withholding: Withholding = Withholding(vat: 10_000, pit: 5_000))
        -> TransactionRecord
    {
        WithholdingTests.record(
            lines: lines.map { Line(sku: "", name: "", category: .goods, quantity: 1, amount: $0) },
            withholding: withholding
        )
    }

    @Test func sumsStayWithinTheCeilingOrAreNil() {
        #expect(VND.sum(VND.maximumMagnitude, 0) == VND.maximumMagnitude)
        #expect(VND.sum(VND.maximumMagnitude, 1) == nil)
        #expect(VND.sum(Int64.max, 1) == nil)
        #expect(VND.sum(-VND.maximumMagnitude, -1) == nil)
        #expect(VND.sum([Int64.max, Int64.max, -Int64.max]) == nil)
        #expect(VND.product(VND.maximumMagnitude, 2) == nil)
        #expect(VND.product(Int64.max, Int64.max) == nil)
        #expect(VND.difference(Int64.min, 1) == nil)
        #expect(VND.difference(-5, -7) == 2)
    }

    @Test(
        "records beyond the ceiling are refused, naming the field",
        arguments: [
            (record(withholding: Withholding(vat: .max, pit: 1)), "withholding.vat"),
            (
                record(withholding: Withholding(vat: VND.maximumMagnitude, pit: 1)),
                "withholding.vat + withholding.pit"
            ),
            (record(lines: [6_000_000_000_000_000_000, 1]), "lines[0].amount"),
            (record(lines: [900_000_000_000_000, 900_000_000_000_000]), "gross"),
            (record(lines: [-1]), "lines[0].amount"),
        ]
    )
    func amountsBeyondTheCeiling(record: TransactionRecord, field: String) {
        #expect(throws: RecordLimitError.self) { try record.checkAmounts() }
        do {
            try record.checkAmounts()
        } catch {
            #expect(error.isAmount)
            #expect(error.message.hasPrefix(field + ":"), "\(error.message)")
        }
    }

    @Test func aRecordBeyondTheCeilingIsNotAssessedAndDoesNotTrap() {
        // VAT 2^63−1 plus PIT 1 overflowed computing the reported total.
        let assessment = RecordAssessment(
            record: Self.record(withholding: Withholding(vat: .max, pit: 1)),
            sourceDifference: nil
        )
        #expect(assessment.findings.isEmpty)
        #expect(assessment.expected.groups.isEmpty)
    }

    @Test(
        "text limits",
        arguments: [
            ("a\u{0}b", false), ("a\nb", false), ("a\u{7F}", false), ("a\u{85}", false),
            (String(repeating: "x", count: RecordLimits.maximumIdentifierLength), true),
            (String(repeating: "x", count: RecordLimits.maximumIdentifierLength + 1), false), ("Áo thun 🎽", true),
        ]
    )
    func identifiers(text: String, accepted: Bool) {
        #expect(((try? RecordLimits.checkIdentifier(text, field: "id")) != nil) == accepted)
    }
}
