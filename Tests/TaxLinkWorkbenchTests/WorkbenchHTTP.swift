import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkServer
import TaxLinkStore
import TestSupport
import Testing

/// The workbench in process over a real SQLite file in a temporary folder, with findings written
/// through the store's own write path and an analyst signed in as a browser does.
struct WorkbenchHTTP: Sendable {
    static let tokens = "lan-token analyst Nguyễn Thị Lan\nminh-token analyst Trần Văn Minh"

    let client: any TestClientProtocol
    let store: SQLiteStore
    let session: String
    let csrf: String

    /// Runs `body` with `findings` open findings (even numbers Shopee 2026-01, odd ones Tiki 2026-02),
    /// the seller id, record id and detail of each being `text` followed by its number; signed in as Lan.
    static func with(
        findings: Int,
        text: String = "seller",
        _ body: @escaping @Sendable (WorkbenchHTTP) async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taxlink-wb-f-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("db.sqlite").path)
        try await store.applyFindingWrites((0..<findings).map { insert($0, text: text) })
        var configuration = ServerConfiguration()
        configuration.tokens = try TokenRegistry.parse(tokens)
        let app = Application(router: buildRouter(configuration: configuration, stores: Stores(store)))
        try await app.test(.router) { client in
            let session = try await WorkbenchSignIn.session(client, token: "lan-token")
            let csrf = try await WorkbenchSignIn.csrf(client, session: session)
            try await body(WorkbenchHTTP(client: client, store: store, session: session, csrf: csrf))
        }
    }

    static func insert(_ index: Int, text: String) -> FindingWrite {
        let platform = index % 2 == 0 ? "shopee" : "tiki"
        let detected = Timestamp(unixSeconds: 1_796_100_000)
        return StoreSamples.detected(
            FindingContentRow(
                id: "f-\(index)",
                code: "WITHHOLDING_MISMATCH",
                scope: "record",
                severity: "warning",
                platform: platform,
                taxPeriod: index % 2 == 0 ? "2026-01" : "2026-02",
                platformSellerID: "\(text)\(index)",
                category: "goods",
                taxID: "0100233488",
                recordID: "\(platform):\(text)\(index)",
                externalID: "order-\(index)",
                revision: 1,
                expected: #"{"vat":1000,"pit":500}"#,
                actual: #"{"vat":0,"pit":0}"#,
                amountAtRisk: Int64(1_500 + index),
                detail: "\(text) \(index)",
                fingerprint: "fp-\(index)"
            ),
            at: detected
        )
    }

    /// A GET as the signed-in analyst, with further `headers`.
    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        var fields = headers
        let cookie = fields[.cookie].map { $0 + "; " } ?? ""
        fields[.cookie] = cookie + "taxlink_session=\(session)"
        return try await client.execute(uri: uri, method: .get, headers: fields, body: nil)
    }

    /// A form POST of `form` as the signed-in analyst.
    func post(_ uri: String, form: [(String, String)]) async throws -> TestResponse {
        let body = form.map { "\(WorkbenchSignIn.encoded($0.0))=\(WorkbenchSignIn.encoded($0.1))" }.joined(
            separator: "&"
        )
        return try await client.execute(
            uri: uri,
            method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "taxlink_session=\(session)"],
            body: ByteBuffer(string: body)
        )
    }

    /// The stored status and the last history entry of finding `id`.
    func state(_ id: String) async throws -> (status: FindingStatus?, last: FindingHistoryEntry?) {
        let finding = try await store.finding(id: id)
        return (finding?.status, try await store.findingHistory(ids: [id])[id]?.last)
    }
}
