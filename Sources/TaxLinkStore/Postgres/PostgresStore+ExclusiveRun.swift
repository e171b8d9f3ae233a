import Foundation
import PostgresNIO

extension PostgresStore {
    /// Holds the run `name` with a session-level advisory lock (`pg_try_advisory_lock`) on one pooled
    /// connection, kept out of the pool while `body` runs (so the store needs at least two connections:
    /// `body` uses others), then unlocked with `pg_advisory_unlock`, also when `body` throws. PostgreSQL
    /// drops the lock with the session, so a crashed process's run ends with its connection.
    public func withExclusiveRun<T: Sendable>(
        _ name: String,
        _ body: @Sendable () async throws -> T
    ) async throws -> ExclusiveRun<T> {
        let key = Self.exclusiveRunKey(name)
        return try await withConnection { connection in
            let rows = try await connection.query("SELECT pg_try_advisory_lock(\(key))", logger: logger)
            var locked = false
            for try await acquired in rows.decode(Bool.self) { locked = acquired }
            guard locked else { return .held(holder: try await Self.holder(of: key, on: connection, logger: logger)) }
            do {
                let value = try await body()
                try await connection.query("SELECT pg_advisory_unlock(\(key))", logger: logger)
                return .ran(value)
            } catch {
                // A connection that cannot unlock is broken; its session, and the lock, end with it.
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(key))", logger: logger)
                throw error
            }
        }
    }

    /// The advisory lock key of run `name`: "TXLR" in the high 32 bits, the FNV-1a hash of the name in
    /// the low 32 bits (the same in every process and build).
    static func exclusiveRunKey(_ name: String) -> Int64 {
        var hash: UInt32 = 0x811C_9DC5
        for byte in name.utf8 {
            hash = (hash ^ UInt32(byte)) &* 0x0100_0193
        }
        return Int64(0x5458_4C52) << 32 | Int64(hash)
    }

    /// The session holding advisory lock `key`: its server process id, client address and application
    /// and since when it is connected (from `pg_locks` and `pg_stat_activity`). Advisory locks belong to
    /// a database: a session holding the same key in another database of the server is not the holder.
    private static func holder(of key: Int64, on connection: PostgresConnection, logger: Logger) async throws -> String {
        let rows = try await connection.query(
            """
            SELECT a.pid, coalesce(host(a.client_addr), 'local'), coalesce(a.application_name, ''),
                   coalesce(to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '')
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND ((l.classid::bigint << 32) | l.objid::bigint) = \(key)
            """,
            logger: logger)
        var holder: String?
        for try await (pid, address, application, since) in rows.decode((Int32, String, String, String).self) {
            let named = application.isEmpty ? "" : " (\(application))"
            holder = "PostgreSQL session \(pid) from \(address)\(named), connected since \(since)"
        }
        return holder ?? "another PostgreSQL session (it has just released it)"
    }
}
