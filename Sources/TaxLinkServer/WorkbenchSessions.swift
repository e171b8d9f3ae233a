import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import TaxLinkCore
import TaxLinkStore

/// The workbench's sessions: started by signing in with a token (``start(_:)``), ended by signing out
/// or by their expiry, kept in the database (``SessionStorage``) so every `serve` process on one
/// database knows them.
///
/// The session id travels only in the `taxlink_session` cookie (HttpOnly, SameSite=Strict,
/// Path=/analyst); the store keeps its SHA-256 digest. The CSRF token of a session is derived from its
/// id (a second, separately labelled digest), so it needs no column and cannot be computed from the
/// database.
public struct WorkbenchSessions: Sendable {
    /// The name of the session cookie.
    public static let cookieName = "taxlink_session"
    /// The path the session cookie is sent to.
    public static let cookiePath = "/analyst"
    /// Where a request without a valid session is sent.
    public static let signInPath = "/analyst/sign-in"

    let storage: any SessionStorage
    let configuration: ServerConfiguration.Sessions
    let now: @Sendable () -> Timestamp

    /// Sessions kept in `storage`, lasting `configuration.lifetime` from `now()`.
    public init(
        storage: any SessionStorage,
        configuration: ServerConfiguration.Sessions = .init(),
        now: @escaping @Sendable () -> Timestamp = { .now }
    ) {
        self.storage = storage
        self.configuration = configuration
        self.now = now
    }

    /// The analyst signed in for `request`. A request without a session cookie, or whose session was
    /// ended or has expired, is answered `303 See Other` to the sign-in page (a thrown
    /// ``RequestError/Code/signInRequired``), so a workbench route simply starts with
    /// `let session = try await sessions.signedIn(request)`.
    public func signedIn(_ request: Request) async throws -> WorkbenchSession {
        guard let id = request.cookies[Self.cookieName]?.value, !id.isEmpty,
            let row = try await storage.session(digest: Self.digest(id), now: now()),
            let role = Role(row.role)
        else {
            throw RequestError(.signInRequired, "sign in to use the workbench")
        }
        return WorkbenchSession(name: row.name, role: role, csrfToken: Self.csrfToken(id))
    }

    /// Refuses (403) a posted form whose `csrf` field is not the session's CSRF token.
    public func checkCSRF(_ csrf: String?, _ session: WorkbenchSession) throws(RequestError) {
        guard let csrf, Self.constantTimeEqual(csrf, session.csrfToken) else {
            throw RequestError(
                .forbidden,
                "the form is missing its security token or it belongs to another session; reload the page and "
                    + "send the form again"
            )
        }
    }

    /// ``checkCSRF(_:_:)-(String?,_)`` of a form decoded as a dictionary (its `csrf` field).
    public func checkCSRF(_ form: [String: String], _ session: WorkbenchSession) throws(RequestError) {
        try checkCSRF(form["csrf"], session)
    }

    /// Starts a session for `identity`: stores it (pruning expired sessions first) and returns the
    /// cookie that carries it.
    func start(_ identity: Identity, secure: Bool) async throws -> Cookie {
        let id = Self.newID()
        let started = now()
        let seconds = configuration.lifetime.components.seconds
        try await storage.deleteExpiredSessions(now: started)
        try await storage.insertSession(
            SessionRow(
                digest: Self.digest(id),
                name: identity.name,
                role: identity.role.description,
                createdAt: started,
                expiresAt: started.adding(seconds: seconds)
            )
        )
        return Self.cookie(
            value: id,
            maxAge: Int(clamping: seconds),
            expires: started.adding(seconds: seconds),
            secure: secure
        )
    }

    /// Ends the session of `request`, if any, and returns the cookie that clears it in the browser.
    func end(_ request: Request, secure: Bool) async throws -> Cookie {
        if let id = request.cookies[Self.cookieName]?.value, !id.isEmpty {
            try await storage.deleteSession(digest: Self.digest(id))
        }
        return Self.cookie(value: "", maxAge: 0, expires: Timestamp(unixSeconds: 0), secure: secure)
    }

    /// Whether the session cookie must be `Secure`: always when configured so (TLS in front of the
    /// server), else when the request says it came over HTTPS (`X-Forwarded-Proto: https`).
    func secure(_ request: Request) -> Bool {
        configuration.secureCookie
            || request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    static func cookie(value: String, maxAge: Int, expires: Timestamp, secure: Bool) -> Cookie {
        Cookie(
            name: cookieName,
            value: value,
            expires: expires.date,
            maxAge: maxAge,
            path: cookiePath,
            secure: secure,
            httpOnly: true,
            sameSite: .strict
        )
    }

    /// 32 random bytes from the system's secure generator, base64url.
    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The stored digest of a session id: lowercase hex SHA-256.
    static func digest(_ id: String) -> String { hex(SHA256.hash(data: Data(id.utf8))) }

    /// The CSRF token of a session id.
    static func csrfToken(_ id: String) -> String { hex(SHA256.hash(data: Data(("taxlink-csrf\u{0}" + id).utf8))) }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    private static func constantTimeEqual(_ left: String, _ right: String) -> Bool {
        let a = Array(left.utf8)
        let b = Array(right.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
