import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import TaxLinkCore
import TaxLinkServer
import TaxLinkStore
import TestSupport
import Testing

/// A live workbench on loopback (real sockets, a real SQLite file) with named analysts, a clock the
/// test moves, and findings written through the store's own write path.
struct WorkbenchFixture: Sendable {
    static let tokens = """
        an-token analyst Nguyễn Văn An
        binh-token analyst Trần Thị Bình
        plain-token analyst
        operator-token operator Lê Văn Cường
        """

    /// The start of every test's clock: 2026-12-01T06:15:00Z.
    static let start = Timestamp(unixSeconds: 1_796_105_700)

    let client: any TestClientProtocol
    let store: SQLiteStore
    let clock: ManualClock

    /// Runs `body` against a live server over a fresh store holding `findings` open findings.
    static func with(
        findings: Int = 0,
        _ body: @escaping @Sendable (WorkbenchFixture) async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taxlink-wb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("db.sqlite").path)
        try await store.applyFindingWrites((0..<findings).map(Self.insert))
        let clock = ManualClock(start)
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.tokens = try TokenRegistry.parse(tokens)
        configuration.timeouts.header = .seconds(600)
        configuration.timeouts.keepAliveIdle = .seconds(600)
        let app = try buildApplication(
            configuration: configuration,
            stores: Stores(store),
            now: { clock.now },
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        try await app.test(.live) { client in
            try await body(WorkbenchFixture(client: client, store: store, clock: clock))
        }
    }

    /// Finding number `index`: Shopee 2026-01 for even numbers, Tiki 2026-02 for odd ones, open.
    static func insert(_ index: Int) -> FindingWrite {
        let platform = index % 2 == 0 ? "shopee" : "tiki"
        let id = "f-\(index)"
        let detected = start.adding(seconds: -3600)
        return StoreSamples.detected(
            FindingContentRow(
                id: id,
                code: "LATE_REPORT",
                scope: "record",
                severity: "warning",
                platform: platform,
                taxPeriod: index % 2 == 0 ? "2026-01" : "2026-02",
                platformSellerID: "seller-\(index % 7)",
                category: "goods",
                taxID: "0100233488",
                recordID: "\(platform):order:\(index)",
                externalID: "order-\(index)",
                revision: 1,
                expected: #"{"vat":1000}"#,
                actual: #"{"vat":0}"#,
                amountAtRisk: Int64(1_000 + index),
                detail: "Thuế chưa khai",
                fingerprint: "fp-\(index)"
            ),
            at: detected
        )
    }

    /// A GET with `cookie` (a session cookie value) and further `headers`.
    func get(_ uri: String, session: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        var fields = headers
        if let session { fields[.cookie] = "taxlink_session=\(session)" }
        return try await client.execute(uri: uri, method: .get, headers: fields, body: nil)
    }

    /// A form POST of `fields` with `cookie` (a whole `Cookie` header value).
    func post(_ uri: String, form: [(String, String)], cookie: String?, headers: HTTPFields = [:]) async throws
        -> TestResponse
    {
        var fields = headers
        fields[.contentType] = "application/x-www-form-urlencoded"
        if let cookie { fields[.cookie] = cookie }
        let body = form.map { "\(WorkbenchSignIn.encoded($0.0))=\(WorkbenchSignIn.encoded($0.1))" }.joined(
            separator: "&"
        )
        return try await client.execute(uri: uri, method: .post, headers: fields, body: ByteBuffer(string: body))
    }

    /// Signs in with `token` as a browser does; returns the session cookie's value.
    func signIn(_ token: String) async throws -> String {
        try await WorkbenchSignIn.session(client, token: token)
    }

    /// The session's CSRF token, read from the findings page's forms.
    func csrf(_ session: String) async throws -> String {
        try await WorkbenchSignIn.csrf(client, session: session)
    }

    /// The value a response's `Set-Cookie` gives cookie `name`.
    static func cookie(_ name: String, in response: TestResponse) -> String? {
        WorkbenchSignIn.cookie(name, in: response.headers)
    }

    /// The whole `Set-Cookie` line of cookie `name`.
    static func setCookie(_ name: String, in response: TestResponse) -> String? {
        WorkbenchSignIn.setCookie(name, in: response.headers)
    }

    /// The value of the first hidden `csrf` field of a page.
    static func hiddenCSRF(in html: String) -> String? { WorkbenchSignIn.hiddenCSRF(in: html) }
}

/// A clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Timestamp

    init(_ start: Timestamp) { current = start }

    var now: Timestamp { lock.withLock { current } }

    func advance(seconds: Int64) { lock.withLock { current = current.adding(seconds: seconds) } }
}
