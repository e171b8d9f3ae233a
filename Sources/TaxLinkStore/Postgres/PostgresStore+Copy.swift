import GRDB
import Logging
import PostgresNIO

/// The PostgreSQL side of a copy, on the one connection whose transaction holds the whole copy.
struct PostgresCopyTarget {
    /// A column of a target table.
    struct Column: Sendable {
        let name: String
        let type: CopyColumnType
        /// A `GENERATED ALWAYS AS (…) STORED` column: computed by PostgreSQL, never inserted, but
        /// checked against the source's value (`feeds.id` is derived from `seq`).
        let generated: Bool
        /// An identity column, moved past the copied ids afterwards.
        let identity: Bool
    }

    let connection: PostgresConnection
    let logger: Logger

    /// The names of the store's tables (not the migrations' own).
    func tableNames() async throws -> Set<String> {
        let rows = try await connection.query(
            """
            SELECT table_name::text FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'taxlink_migrations'
            """,
            logger: logger
        )
        var names = Set<String>()
        for try await name in rows.decode(String.self) { names.insert(name) }
        return names
    }

    /// The columns of `table`, in the table's order.
    func columns(of table: String) async throws -> [Column] {
        let rows = try await connection.query(
            """
            SELECT column_name::text, data_type::text, is_generated::text, is_identity::text
            FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = \(table)
            ORDER BY ordinal_position
            """,
            logger: logger
        )
        var columns: [Column] = []
        for try await (name, dataType, generated, identity) in rows.decode((String, String, String, String).self) {
            guard let type = CopyColumnType(dataType: dataType) else {
                throw StoreCopyError.schemaMismatch("\(table).\(name) has type \(dataType), which a copy does not know")
            }
            columns.append(
                Column(name: name, type: type, generated: generated == "ALWAYS", identity: identity == "YES")
            )
        }
        return columns
    }

    /// Keeps every other writer out of `tables` until the transaction ends (readers go on).
    func lock(_ tables: [String]) async throws {
        let names = tables.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
        try await connection.query(PostgresQuery(unsafeSQL: "LOCK TABLE \(names) IN EXCLUSIVE MODE"), logger: logger)
    }

    /// Those of `tables` that hold at least one row.
    func nonEmpty(_ tables: [String]) async throws -> [String] {
        var found: [String] = []
        for table in tables {
            let sql = "SELECT EXISTS (SELECT 1 FROM \(table.quotedDatabaseIdentifier))"
            for try await exists in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
                .decode(Bool.self) where exists
            {
                found.append(table)
            }
        }
        return found
    }

    /// Inserts `chunk` (rows of `source`'s columns) into the table with `columns` in one statement:
    /// one array per column, `unnest`ed. Generated columns are not inserted but compared with the
    /// source's values. Returns how many rows went in.
    func insert(_ chunk: StoreCopySource.Chunk, of source: StoreCopySource.Table, into columns: [Column]) async throws
        -> Int64
    {
        var bindings = PostgresBindings(capacity: columns.count)
        var casts: [String] = []
        for (index, column) in columns.enumerated() {
            guard let position = source.columns.firstIndex(of: column.name) else {
                throw StoreCopyError.schemaMismatch("\(source.name).\(column.name) is missing in the source")
            }
            try column.type.bind(
                chunk.rows.map { $0[position] },
                into: &bindings,
                table: source.name,
                column: column.name
            )
            casts.append("$\(index + 1)::\(column.type.rawValue)[]")
        }
        let quoted = { (names: [String]) in names.map(\.quotedDatabaseIdentifier).joined(separator: ", ") }
        let inserted = columns.filter { !$0.generated }.map(\.name)
        let generated = columns.filter(\.generated)
        let keys = columns.filter { source.key.contains($0.name) }
        // Compared byte by byte: the input's text has the database's collation, the table's "C".
        let compared = { (column: Column) in
            let collate = column.type == .text ? " COLLATE \"C\"" : ""
            let name = column.name.quotedDatabaseIdentifier
            return ("input.\(name)\(collate)", "inserted.\(name)\(collate)")
        }
        let join = keys.map(compared).map { "\($0.0) = \($0.1)" }
        let differs = generated.map(compared).map { "\($0.0) IS DISTINCT FROM \($0.1)" }
        let sql = """
            WITH input AS (SELECT * FROM unnest(\(casts.joined(separator: ", "))) AS input(\(quoted(columns.map(\.name))))),
            inserted AS (
                INSERT INTO \(source.name.quotedDatabaseIdentifier) (\(quoted(inserted)))
                SELECT \(quoted(inserted)) FROM input
                RETURNING \(quoted((keys + generated).map(\.name)))
            )
            SELECT count(*), count(*) FILTER (WHERE \(differs.isEmpty ? "false" : differs.joined(separator: " OR ")))
            FROM inserted JOIN input ON \(join.isEmpty ? "false" : join.joined(separator: " AND "))
            """
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
        for try await (count, different) in rows.decode((Int64, Int64).self) {
            guard different == 0 else {
                throw StoreCopyError.schemaMismatch(
                    "\(different) row(s) of \(source.name) would get another \(generated.map(\.name).joined(separator: ", ")) "
                        + "than the source holds (PostgreSQL computes it)"
                )
            }
            return count
        }
        throw PostgresStoreError.unexpectedAnswer("inserting a chunk of \(source.name) returned no count")
    }

    /// Moves the identity columns of `table` past every copied id and past `highestIssuedID`, so
    /// the next row gets an id the source never gave.
    func moveIdentities(of table: String, columns: [Column], highestIssuedID: Int64) async throws {
        for column in columns where column.identity {
            let name = column.name.quotedDatabaseIdentifier
            let sql = """
                SELECT setval(pg_get_serial_sequence($1, $2),
                    greatest((SELECT coalesce(max(\(name)), 0) FROM \(table.quotedDatabaseIdentifier)), $3) + 1, false)
                """
            var bindings = PostgresBindings(capacity: 3)
            bindings.append(table.quotedDatabaseIdentifier)
            bindings.append(column.name)
            bindings.append(highestIssuedID)
            try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
        }
    }

    /// How many rows `table` holds.
    func count(_ table: String) async throws -> Int64 {
        let sql = "SELECT count(*) FROM \(table.quotedDatabaseIdentifier)"
        for try await count in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            .decode(Int64.self)
        {
            return count
        }
        throw PostgresStoreError.unexpectedAnswer("counting \(table) returned no row")
    }
}
