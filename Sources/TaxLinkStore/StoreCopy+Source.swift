import GRDB

/// The SQLite side of a copy: one snapshot of the store, read a table at a time in primary-key
/// order, a chunk per read (keyset paging), so the whole store is never in memory and every chunk
/// comes from the same moment.
struct StoreCopySource: Sendable {
    /// A table as the source has it.
    struct Table: Sendable {
        let name: String
        /// Every column, in the table's order.
        let columns: [String]
        /// The primary key's columns, in key order.
        let key: [String]
        /// The highest id SQLite's `AUTOINCREMENT` ever gave in the table (`sqlite_sequence`),
        /// which may be above every id still stored; 0 when it has none.
        let highestIssuedID: Int64
    }

    /// Rows of one table, each its values in ``Table/columns`` order.
    struct Chunk: Sendable {
        let rows: [[DatabaseValue]]
        /// The key of the last row, where the next chunk starts (`nil` when there are no rows).
        let lastKey: [DatabaseValue]?
    }

    private let snapshot: DatabaseSnapshot

    /// A snapshot of `store` as it is now.
    init(_ store: SQLiteStore) throws {
        snapshot = try store.pool.makeSnapshot()
    }

    /// The names of the store's own tables (not SQLite's, not GRDB's migration table).
    func tableNames() async throws -> Set<String> {
        try await snapshot.read { db in
            Set(
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT name FROM sqlite_master
                        WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations'
                        """
                )
            )
        }
    }

    /// The columns, key and issued ids of `name`.
    func table(_ name: String) async throws -> Table {
        try await snapshot.read { db in
            let info = try Row.fetchAll(db, sql: "SELECT name, pk FROM pragma_table_info(?)", arguments: [name])
            let key = info.filter { ($0["pk"] as Int) > 0 }.sorted { ($0["pk"] as Int) < ($1["pk"] as Int) }
            let sequence = try Int64.fetchOne(
                db,
                sql: "SELECT seq FROM sqlite_sequence WHERE name = ?",
                arguments: [name]
            )
            return Table(
                name: name,
                columns: info.map { $0["name"] },
                key: key.map { $0["name"] },
                highestIssuedID: sequence ?? 0
            )
        }
    }

    /// At most `limit` rows of `table` after the row whose key is `after` (from the first when `nil`),
    /// in key order.
    func chunk(of table: Table, after: [DatabaseValue]?, limit: Int) async throws -> Chunk {
        let columns = table.columns.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
        let key = table.key.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
        let keyPositions = table.key.compactMap { table.columns.firstIndex(of: $0) }
        let marks = Array(repeating: "?", count: table.key.count).joined(separator: ", ")
        let sql =
            "SELECT \(columns) FROM \(table.name.quotedDatabaseIdentifier)"
            + (after == nil ? "" : " WHERE (\(key)) > (\(marks))") + " ORDER BY \(key) LIMIT ?"
        let arguments = StatementArguments(
            ((after ?? []) + [limit.databaseValue]).map { $0 as (any DatabaseValueConvertible)? }
        )
        return try await snapshot.read { db in
            var rows: [[DatabaseValue]] = []
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try cursor.next() {
                rows.append((0..<row.count).map { row[$0] as DatabaseValue })
            }
            return Chunk(rows: rows, lastKey: rows.last.map { row in keyPositions.map { row[$0] } })
        }
    }

    /// How many rows `table` holds.
    func count(_ table: String) async throws -> Int64 {
        try await snapshot.read { db in
            try Int64.fetchOne(db, sql: "SELECT count(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0
        }
    }
}
