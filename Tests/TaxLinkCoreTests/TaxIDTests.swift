import Testing

@testable import TaxLinkCore

@Suite("Tax ids")
struct TaxIDTests {
    @Test func specExampleIsValid() {
        #expect(TaxCode.isValid("0100233488"))
        #expect(!TaxCode.isValid("0100233489"))
    }

    @Test func checkDigitOfTenMeansInvalid() {
        // Find a nine-digit prefix whose weighted sum is divisible by 11: no tenth digit can follow it.
        let weights = [31, 29, 23, 19, 17, 13, 7, 5, 3]
        let prefix = (100_000_000...100_000_200).map { String($0) }.first { candidate in
            zip(weights, candidate.utf8.map { Int($0) - 48 }).reduce(0) { $0 + $1.0 * $1.1 } % 11 == 0
        }!
        for digit in 0...9 { #expect(!TaxCode.isValid(prefix + String(digit))) }
    }

    @Test func digitsThreeToNineNotAllZero() {
        // 01 0000000 with any check digit is refused by the all-zero rule.
        for digit in 0...9 { #expect(!TaxCode.isValid("0100000000".dropLast() + String(digit))) }
    }

    @Test(
        "normalisation",
        arguments: [
            ("0100233488", TaxIdentity.taxCode("0100233488")),
            ("0100-233-488", .taxCode("0100233488")),
            ("0100.233.488", .taxCode("0100233488")),
            ("0100233488001", .taxCode("0100233488-001")),
            ("0100233488-001", .taxCode("0100233488-001")),
            ("0100233488-000", .invalid("0100233488-000")),
            ("015 179 442 182", .nationalID("015179442182")),
            ("0100233489", .invalid("0100233489")),
            ("12345", .invalid("12345")),
            ("ABC0100233488", .invalid("ABC0100233488")),
            ("", .missing),
            ("   ", .missing),
        ])
    func normalisation(raw: String, expected: TaxIdentity) {
        #expect(TaxIdentity(raw: raw) == expected)
    }

    @Test func absentIsMissing() {
        #expect(TaxIdentity(raw: nil) == .missing)
    }

    @Test func masking() {
        #expect(TaxIdentity.taxCode("0100233488").masked == "*******488")
    }
}
