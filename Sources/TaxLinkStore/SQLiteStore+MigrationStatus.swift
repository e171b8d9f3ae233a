import Foundation
import GRDB

extension SQLiteStore {
    /// The applied, pending and unknown migrations of the SQLite file at `path`, read without
    /// migrating or changing anything (for `taxlink db status`).
    ///
    /// Throws ``StoreOpenError/missing(_:)`` when there is no file at `path`.
    public static func migrationStatus(path: String) throws -> MigrationStatus {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreOpenError.missing(path) }
        var configuration = GRDB.Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        let known = migrator.migrations
        let applied = try queue.read { db in try migrator.appliedIdentifiers(db) }
        return MigrationStatus(
            applied: known.filter(applied.contains) + applied.subtracting(known).sorted(),
            pending: known.filter { !applied.contains($0) },
            unknown: applied.subtracting(known).sorted()
        )
    }
}
