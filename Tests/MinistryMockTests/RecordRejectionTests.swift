import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TaxLinkCore
import TaxLinkSigning
import Testing

@testable import MinistryMock

@Suite struct RecordRejectionTests {
    typealias F = MinistryFixture

    /// A record made from the valid fixture by `change`, and the code it must get (`nil`: accepted).
    struct Case: Sendable {
        var name: String
        var code: String?
        var change: @Sendable (JSONValue) -> JSONValue
    }

    static let cases: [Case] = [
        Case(name: "valid", code: nil) { $0 },
        Case(name: "record_id not platform:kind:external_id", code: "SCHEMA_INVALID") {
            $0.setting(["record_id"], to: .string("shopee:sale:" + ($0["external_id"]?.stringValue ?? "") + "X"))
        },
        Case(name: "unknown kind", code: "SCHEMA_INVALID") { $0.setting(["kind"], to: "gift") },
        Case(name: "refund without its sale", code: "SCHEMA_INVALID") { record in
            let id = "shopee:refund:" + (record["external_id"]?.stringValue ?? "")
            return record.setting(["kind"], to: "refund").setting(["record_id"], to: .string(id))
        },
        Case(name: "refund naming its sale", code: nil) { record in
            let id = "shopee:refund:" + (record["external_id"]?.stringValue ?? "")
            return record.setting(["kind"], to: "refund").setting(["record_id"], to: .string(id))
                .setting(["original_external_id"], to: "2601090ABC")
        },
        Case(name: "revision 0", code: "SCHEMA_INVALID") { $0.setting(["revision"], to: .int(0)) },
        Case(name: "revision as a string", code: "SCHEMA_INVALID") { $0.setting(["revision"], to: "1") },
        Case(name: "occurred_at with an offset", code: "SCHEMA_INVALID") {
            $0.setting(["occurred_at"], to: "2026-01-09T10:15:00+07:00")
        },
        Case(name: "occurred_at with a fraction", code: "SCHEMA_INVALID") {
            $0.setting(["occurred_at"], to: "2026-01-09T03:15:00.5Z")
        },
        Case(name: "occurred_at over 5 minutes after received_at", code: "SCHEMA_INVALID") {
            $0.setting(["occurred_at"], to: "2026-01-09T03:25:01Z")
        },
        Case(name: "occurred_at exactly 5 minutes after received_at", code: nil) {
            $0.setting(["occurred_at"], to: "2026-01-09T03:25:00Z")
        },
        Case(name: "tax_period not the Vietnam month", code: "PERIOD_MISMATCH") {
            $0.setting(["tax_period"], to: "2026-02")
        },
        Case(name: "late on the 31st UTC is next month in Vietnam", code: nil) {
            $0.setting(["occurred_at"], to: "2026-01-31T18:00:00Z").setting(["tax_period"], to: "2026-02")
                .setting(["source", "received_at"], to: "2026-01-31T18:00:00Z")
        },
        Case(name: "UTC month instead of Vietnam month", code: "PERIOD_MISMATCH") {
            $0.setting(["occurred_at"], to: "2026-01-31T18:00:00Z").setting(["tax_period"], to: "2026-01")
                .setting(["source", "received_at"], to: "2026-01-31T18:00:00Z")
        },
        Case(name: "tax_period malformed", code: "SCHEMA_INVALID") { $0.setting(["tax_period"], to: "2026-1") },
        Case(name: "tax code check digit wrong", code: "TAX_CODE_INVALID") {
            $0.setting(["seller", "tax_code"], to: "0312345670")
        },
        Case(name: "tax code branch 000", code: "TAX_CODE_INVALID") {
            $0.setting(["seller", "tax_code"], to: "0312345673-000")
        },
        Case(name: "tax code with a branch", code: nil) { $0.setting(["seller", "tax_code"], to: "0100233488-001") },
        Case(name: "tax code with separators", code: "TAX_CODE_INVALID") {
            $0.setting(["seller", "tax_code"], to: "0312 345 673")
        },
        Case(name: "national id of 11 digits", code: "TAX_CODE_INVALID") {
            $0.setting(["seller", "tax_code"], to: nil).setting(["seller", "national_id"], to: "00123456789")
                .setting(["seller", "tax_code"], to: .null)
        },
        Case(name: "national id only", code: nil) {
            $0.setting(["seller", "tax_code"], to: .null).setting(["seller", "national_id"], to: "001234567890")
        },
        Case(name: "no seller id", code: "SELLER_ID_MISSING") { $0.setting(["seller", "tax_code"], to: .null) },
        Case(name: "negative amount", code: "AMOUNT_INVALID") {
            $0.setting(["amounts", "platform_discount"], to: .int(-1))
        },
        Case(name: "fractional amount", code: "AMOUNT_INVALID") {
            $0.setting(["amounts", "platform_fees"], to: .number("18000.0"))
        },
        Case(name: "negative withholding", code: "AMOUNT_INVALID") {
            $0.setting(["withholding", "vat"], to: .int(-2800))
        },
        Case(name: "gross is not the sum of lines", code: "AMOUNT_INVALID") {
            $0.setting(["amounts", "gross"], to: .int(300_001)).setting(
                ["amounts", "taxable_revenue"],
                to: .int(280_001)
            )
        },
        Case(name: "taxable_revenue is not gross - seller_discount", code: "AMOUNT_INVALID") {
            $0.setting(["amounts", "taxable_revenue"], to: .int(270_000))
        },
        Case(name: "quantity 0", code: "AMOUNT_INVALID") {
            guard case .array(let lines) = $0["lines"], let line = lines.first else { return $0 }
            return $0.setting(["lines"], to: .array([line.setting(["quantity"], to: .int(0))]))
        },
        Case(name: "amount as a string", code: "SCHEMA_INVALID") { $0.setting(["amounts", "gross"], to: "300000") },
        Case(name: "an extra member", code: "SCHEMA_INVALID") { $0.setting(["note"], to: "hi") },
        Case(name: "a missing member", code: "SCHEMA_INVALID") { $0.setting(["flags"], to: nil) },
        Case(name: "a missing nested member", code: "SCHEMA_INVALID") { $0.setting(["seller", "resident"], to: nil) },
        Case(name: "currency not VND", code: "SCHEMA_INVALID") { $0.setting(["currency"], to: "USD") },
        Case(name: "flags not strings", code: "SCHEMA_INVALID") { $0.setting(["flags"], to: .array([.int(1)])) },
        Case(name: "flags kept as given", code: nil) { $0.setting(["flags"], to: .array(["LATE_REPORT"])) },
        Case(name: "unknown seller type", code: "SCHEMA_INVALID") { $0.setting(["seller", "type"], to: "company") },
        Case(name: "unknown line category", code: "SCHEMA_INVALID") {
            guard case .array(let lines) = $0["lines"], let line = lines.first else { return $0 }
            return $0.setting(["lines"], to: .array([line.setting(["category"], to: "food")]))
        },
        Case(name: "resident not a boolean", code: "SCHEMA_INVALID") { $0.setting(["seller", "resident"], to: "yes") },
    ]

    @Test func everyRuleHasItsCode() async throws {
        let records = Self.cases.enumerated().map { index, testCase in testCase.change(F.record("C\(index)")) }
        let all = records + [.string("not a record")]
        let app = try await F().app()
        try await app.test(.live) { client in
            let response = try await F.post(client, F.batch("B-rules", records: all), batchID: "B-rules")
            #expect(response.status == .created)
            let receipt = try #require(response.json)
            var codes: [String: String] = [:]
            for rejection in receipt["rejected"]?.arrayValue ?? [] {
                let id = rejection["record_id"]?.stringValue ?? ""
                codes[id] = rejection["code"]?.stringValue
                #expect(rejection["message"]?.stringValue?.isEmpty == false)
            }
            for (testCase, record) in zip(Self.cases, records) {
                let id = record["record_id"]?.stringValue ?? ""
                #expect(codes[id] == testCase.code, "\(testCase.name)")
            }
            #expect(codes["records[\(records.count)]"] == "SCHEMA_INVALID")
            let accepted = Self.cases.filter { $0.code == nil }.count
            #expect(receipt["accepted"] == .int(accepted))
            #expect((receipt["rejected"]?.arrayValue?.count ?? 0) + accepted == all.count)
            let stats = try await client.execute(uri: "/_stats", method: .get).json
            #expect(stats?["rejected"]?["AMOUNT_INVALID"] == .int(6))
        }
    }

    @Test func aRecordAcceptedBeforeIsADuplicate() async throws {
        let app = try await F().app()
        try await app.test(.live) { client in
            let first = try await F.post(client, F.batch("B-1", records: [F.record("D1")]), batchID: "B-1")
            #expect(first.json?["accepted"] == .int(1))
            let body = F.batch(
                "B-2",
                records: [F.record("D1"), F.record("D1", revision: 2), F.record("D2"), F.record("D2")]
            )
            let second = try await F.post(client, body, batchID: "B-2")
            #expect(second.status == .created)
            let rejected = second.json?["rejected"]?.arrayValue ?? []
            #expect(second.json?["accepted"] == .int(2))
            #expect(rejected.map { $0["record_id"]?.stringValue } == ["shopee:sale:D1", "shopee:sale:D2"])
            #expect(rejected.allSatisfy { $0["code"] == "DUPLICATE_RECORD" })
            #expect(rejected.first?["message"]?.stringValue?.contains("B-1") == true)
            let stats = try await client.execute(uri: "/_stats", method: .get).json
            #expect(stats?["duplicates"] == .int(2))
            #expect(stats?["records_accepted"] == .int(3))
        }
    }

    @Test func aLowerRevisionAfterAHigherOneIsStale() async throws {
        let app = try await F().app()
        try await app.test(.live) { client in
            let first = F.batch("B-1", records: [F.record("S1", revision: 3)])
            #expect(try await F.post(client, first, batchID: "B-1").json?["accepted"] == .int(1))
            let body = F.batch(
                "B-2",
                records: [F.record("S1", revision: 2), F.record("S1", revision: 4), F.record("S1", revision: 3)]
            )
            let receipt = try #require(try await F.post(client, body, batchID: "B-2").json)
            #expect(receipt["accepted"] == .int(1))
            let codes = receipt["rejected"]?.arrayValue?.compactMap { $0["code"]?.stringValue }
            #expect(codes == ["STALE_REVISION", "DUPLICATE_RECORD"])
        }
    }
}
