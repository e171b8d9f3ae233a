import GRDB

extension SQLiteStore {
    /// The reconciliation tables (findings and their history).
    static func registerFindingsMigrations(_ migrator: inout DatabaseMigrator) {}
}
