import PostgresNIO
import TaxLinkCore

extension PostgresStore: SessionStorage {
    public func insertSession(_ session: SessionRow) async throws {
        try await withConnection { connection in
            try await connection.query(
                """
                INSERT INTO sessions (digest, name, role, created_at, expires_at)
                VALUES (\(session.digest), \(session.name), \(session.role), \(session.createdAt.seconds),
                    \(session.expiresAt.seconds))
                """,
                logger: logger
            )
        }
    }

    public func session(digest: String, now: Timestamp) async throws -> SessionRow? {
        try await withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT name, role, created_at, expires_at FROM sessions
                WHERE digest = \(digest) AND expires_at > \(now.seconds)
                """,
                logger: logger
            )
            var found: SessionRow?
            for try await (name, role, createdAt, expiresAt) in rows.decode((String, String, Int64, Int64).self) {
                found = SessionRow(
                    digest: digest,
                    name: name,
                    role: role,
                    createdAt: Timestamp(unixSeconds: createdAt),
                    expiresAt: Timestamp(unixSeconds: expiresAt)
                )
            }
            return found
        }
    }

    public func deleteSession(digest: String) async throws {
        try await withConnection { connection in
            try await connection.query("DELETE FROM sessions WHERE digest = \(digest)", logger: logger)
        }
    }

    @discardableResult
    public func deleteExpiredSessions(now: Timestamp) async throws -> Int {
        try await withConnection { connection in
            let rows = try await connection.query(
                "WITH gone AS (DELETE FROM sessions WHERE expires_at <= \(now.seconds) RETURNING 1) SELECT count(*) FROM gone",
                logger: logger
            )
            var count = 0
            for try await deleted in rows.decode(Int.self) { count = deleted }
            return count
        }
    }
}
