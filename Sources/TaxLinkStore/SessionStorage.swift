import TaxLinkCore

/// A workbench session as stored: whom it signs in and until when. The session id itself is never
/// stored, only its digest, so a copy of the database cannot be used to sign in.
public struct SessionRow: Sendable, Hashable {
    /// The lowercase hex SHA-256 digest of the session id.
    public var digest: String
    /// The signed-in person's name.
    public var name: String
    /// Their role, as text (`analyst`).
    public var role: String
    /// When they signed in.
    public var createdAt: Timestamp
    /// When the session stops working.
    public var expiresAt: Timestamp

    /// Every column, as named.
    public init(digest: String, name: String, role: String, createdAt: Timestamp, expiresAt: Timestamp) {
        self.digest = digest
        self.name = name
        self.role = role
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// Where workbench sessions are kept, in the database, so that every `serve` process on one database
/// knows every session. The store keeps rows; choosing ids, lifetimes and digests happens above it.
public protocol SessionStorage: Sendable {
    /// Stores a new session.
    func insertSession(_ session: SessionRow) async throws

    /// The session with `digest` when it is still valid at `now` (it expires after `now`); `nil` when
    /// there is none, it was ended or it has expired.
    func session(digest: String, now: Timestamp) async throws -> SessionRow?

    /// Ends the session with `digest` (sign-out); nothing happens when there is none.
    func deleteSession(digest: String) async throws

    /// Deletes every session that has expired at `now`; returns how many.
    @discardableResult
    func deleteExpiredSessions(now: Timestamp) async throws -> Int
}
