import Foundation
import GRDB

/// The embedded store: one SQLite file in WAL mode, through GRDB.
///
/// Writes run in transactions on GRDB's single writer, so a feed is stored completely or not at
/// all; `synchronous = FULL` makes a committed transaction survive a crash or a power cut.
public final class SQLiteStore: Storage {
    /// How the store is opened.
    public struct Configuration: Sendable {
        /// The database file; its folder is created when missing.
        public var path: String
        /// How long a writer waits for a lock held by another process.
        public var busyTimeout: TimeInterval = 10
        /// Whether a missing database (and its folder) is created; when `false`, opening a file that
        /// does not exist throws ``StoreOpenError/missing(_:)``.
        public var createIfMissing = true

        public init(path: String) {
            self.path = path
        }
    }

    let pool: DatabasePool
    let configuration: Configuration

    /// Opens (and migrates) the database at `configuration.path`.
    public init(configuration: Configuration) throws {
        self.configuration = configuration
        if !configuration.createIfMissing, !FileManager.default.fileExists(atPath: configuration.path) {
            throw StoreOpenError.missing(configuration.path)
        }
        let folder = URL(fileURLWithPath: configuration.path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var grdb = GRDB.Configuration()
        grdb.busyMode = .timeout(configuration.busyTimeout)
        grdb.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            db.add(function: ClampedSum.function)
        }
        pool = try DatabasePool(path: configuration.path, configuration: grdb)
        try Self.migrator.migrate(pool)
        try abandonInterruptedFeeds()
    }

    /// Opens the database at `path` with default settings.
    public convenience init(path: String) throws {
        try self.init(configuration: Configuration(path: path))
    }

    /// Answers when the database file does: one `SELECT 1` read (for `/readyz`).
    public func ping() async throws {
        try await pool.read { db in _ = try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func statistics() async throws -> StoreStatistics {
        try await pool.read { db in
            StoreStatistics(
                feeds: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM feeds WHERE status = 'complete'") ?? 0,
                records: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM records WHERE is_latest = 1") ?? 0,
                quarantined: try Int.fetchOne(
                    db,
                    sql: "SELECT COUNT(*) FROM records WHERE is_latest = 1 AND status = 'quarantined'"
                ) ?? 0,
                pendingOrders: try Int.fetchOne(
                    db,
                    sql: "SELECT COUNT(*) FROM orders_seen WHERE completed = 0"
                ) ?? 0,
                settlements: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM settlements") ?? 0
            )
        }
    }
}
