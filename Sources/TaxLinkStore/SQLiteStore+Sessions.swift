import GRDB
import TaxLinkCore

extension SQLiteStore {
    /// The workbench sessions: the digest of each session id, whom it signs in, until when.
    static func registerSessionMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v8-workbench-sessions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE sessions (
                        digest TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        role TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX sessions_by_expiry ON sessions (expires_at);
                    """
            )
        }
    }
}

extension SQLiteStore: SessionStorage {
    public func insertSession(_ session: SessionRow) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO sessions (digest, name, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    session.digest, session.name, session.role, session.createdAt.seconds, session.expiresAt.seconds,
                ]
            )
        }
    }

    public func session(digest: String, now: Timestamp) async throws -> SessionRow? {
        try await pool.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT name, role, created_at, expires_at FROM sessions WHERE digest = ? AND expires_at > ?",
                arguments: [digest, now.seconds]
            ).map { row in
                SessionRow(
                    digest: digest,
                    name: row[0],
                    role: row[1],
                    createdAt: Timestamp(unixSeconds: row[2]),
                    expiresAt: Timestamp(unixSeconds: row[3])
                )
            }
        }
    }

    public func deleteSession(digest: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE digest = ?", arguments: [digest])
        }
    }

    @discardableResult
    public func deleteExpiredSessions(now: Timestamp) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE expires_at <= ?", arguments: [now.seconds])
            return db.changesCount
        }
    }
}
