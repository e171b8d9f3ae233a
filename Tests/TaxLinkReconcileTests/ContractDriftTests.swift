import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkServer
import TaxLinkStore
import Testing

/// The answers `contracts/connector-api.openapi.yaml` promises, on the reconciled sample feeds:
/// operators read with tax ids masked, the PATCH answer carries the history, schedule rows name the
/// seller's tax id, and a NUL in a filter no longer cuts it short.
@Suite("Contract of the report routes")
struct ContractDriftTests {
    static func get(_ client: some TestClientProtocol, _ uri: String, token: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: RouteTests.bearer(token)) { $0 }
    }

    @Test func operatorsReadTheReportWithTaxIDsMasked() async throws {
        try await RouteTests.withReconciledStore { store in
            let taxIDs = Set(try await store.findings(FindingQuery()).findings.compactMap(\.content.taxID))
            #expect(taxIDs.count > 3)
            try await RouteTests.application(store).test(.router) { client in
                for format in ["json", "csv", "jsonl"] {
                    let analyst = try await Self.get(client, "/v1/discrepancies?format=\(format)", token: "a-token")
                    let operator_ = try await Self.get(client, "/v1/discrepancies?format=\(format)", token: "o-token")
                    #expect(operator_.status == .ok)
                    let total = HTTPField.Name("X-Total-Count")!
                    #expect(operator_.headers[total] == analyst.headers[total])
                    let full = String(buffer: analyst.body)
                    let masked = String(buffer: operator_.body)
                    for id in taxIDs where id.count >= 10 {
                        #expect(full.contains(id))
                        #expect(!masked.contains(id), "\(format): \(id) shown to an operator")
                    }
                    #expect(masked.contains("*******"))
                }
            }
        }
    }

    @Test func operatorsReadSchedulesWithTaxIDsMaskedAndRowsNameTheTaxID() async throws {
        try await RouteTests.withReconciledStore { store in
            try await RouteTests.application(store).test(.router) { client in
                let analyst = try await Self.get(client, "/v1/schedules/tiki/2026-01", token: "a-token")
                let schedule = try JSONParser.parse(Array(analyst.body.readableBytesView))
                let rows = try #require(schedule["rows"]?.arrayValue)
                #expect(!rows.isEmpty)
                for row in rows {
                    #expect(row["tax_id"] != nil)
                    #expect(row["non_resident"]?.boolValue != nil)
                    #expect(row["total"] != nil)
                }
                #expect(schedule["totals"]?["total"] != nil)
                let operator_ = try await Self.get(client, "/v1/schedules/tiki/2026-01", token: "o-token")
                #expect(operator_.status == .ok)
                let masked = try JSONParser.parse(Array(operator_.body.readableBytesView))
                for (full, hidden) in zip(rows, masked["rows"]?.arrayValue ?? []) {
                    guard let id = full["tax_id"]?.stringValue else { continue }
                    let shown = try #require(hidden["tax_id"]?.stringValue)
                    #expect(shown != id)
                    #expect(shown.hasSuffix(String(id.suffix(3))))
                    #expect(shown.count == id.count)
                }
            }
        }
    }

    @Test func theStatusChangeAnswerCarriesTheHistory() async throws {
        try await RouteTests.withReconciledStore { store in
            let id = try #require(
                try await store.findings(try FindingQuery(parameters: ["code": "SETTLEMENT_MISSING"])).findings.first?
                    .content.id)
            try await RouteTests.application(store).test(.router) { client in
                try await client.execute(
                    uri: "/v1/discrepancies/\(id)", method: .patch,
                    headers: [.authorization: "Bearer a-token", .contentType: "application/merge-patch+json"],
                    body: ByteBuffer(string: #"{"status": "acknowledged", "note": "asked Tiki"}"#)
                ) { response in
                    #expect(response.status == .ok)
                    let finding = try JSONParser.parse(Array(response.body.readableBytesView))
                    #expect(finding["status"] == "acknowledged")
                    let history = try #require(finding["history"]?.arrayValue)
                    #expect(history.map { $0["reason"] } == ["detected", "analyst"])
                    #expect(history.last?["from"] == "open")
                    #expect(history.last?["note"] == "asked Tiki")
                    #expect(history.first?["from"] == .null)
                }
            }
        }
    }

    @Test func aNULInAFilterIsRefusedNotCutShort() async throws {
        try await RouteTests.withReconciledStore { store in
            try await RouteTests.application(store).test(.router) { client in
                let response = try await Self.get(client, "/v1/discrepancies?platform=tiki%00shopee", token: "a-token")
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try JSONParser.parse(Array(response.body.readableBytesView))
                #expect(problem["detail"]?.stringValue?.hasPrefix("platform: ") == true)
            }
        }
    }
}
