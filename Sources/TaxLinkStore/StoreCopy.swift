import GRDB
import Logging

/// Copies a whole embedded (SQLite) store into an empty PostgreSQL store: every feed, rejection,
/// revision, pending order, return claim, settlement, declaration, batch (its exact bytes, digest and
/// signature), attempt, receipt, ministry rejection, finding and finding history row, with their ids.
///
/// The PostgreSQL tables have the same names and columns as SQLite's, so the copy goes table by
/// table: rows are read from one snapshot of the SQLite store in primary-key order and inserted a
/// chunk per statement (one array per column, `unnest`ed); identity columns are then moved past the
/// copied ids, so new rows never reuse one. All of it runs in one PostgreSQL transaction that first
/// locks the tables against other writers and refuses a target that holds any row; before it
/// commits, every table's rows are counted on both sides, and a difference rolls it all back.
public enum StoreCopy {
    /// The tables, in the order they are copied (what a row refers to is copied before it).
    static let tables = [
        "feeds", "feed_rejections", "records", "orders_seen", "return_claims", "settlements", "declarations",
        "batches", "batch_records", "batch_attempts", "batch_receipts", "ministry_rejections",
        "findings", "finding_history", "reconciliation_marks", "sessions",
    ]

    /// Copies `source` into `target`, which must be open (migrated) and empty, `chunkRows` rows per
    /// statement. Returns the rows counted per table on both sides.
    ///
    /// Throws ``StoreCopyError`` (and copies nothing) when the target holds data, the schemas differ,
    /// a value cannot be stored unchanged, or the counts differ; errors of either database pass through.
    public static func copy(
        from source: SQLiteStore,
        to target: PostgresStore,
        chunkRows: Int = 1_000
    ) async throws -> StoreCopyReport {
        let snapshot = try StoreCopySource(source)
        try check(source: try await snapshot.tableNames(), expected: Set(tables), side: "SQLite")
        return try await target.withTransaction { connection in
            let writer = PostgresCopyTarget(connection: connection, logger: target.logger)
            try check(source: try await writer.tableNames(), expected: Set(tables), side: "PostgreSQL")
            try await writer.lock(tables)
            let occupied = try await writer.nonEmpty(tables)
            guard occupied.isEmpty else { throw StoreCopyError.targetNotEmpty(occupied) }
            var counts: [StoreCopyReport.TableCount] = []
            for name in tables {
                let table = try await snapshot.table(name)
                let columns = try await writer.columns(of: name)
                try check(table, against: columns)
                var after: [DatabaseValue]? = nil
                var inserted: Int64 = 0
                while true {
                    let chunk = try await snapshot.chunk(of: table, after: after, limit: max(1, chunkRows))
                    guard let last = chunk.lastKey else { break }
                    inserted += try await writer.insert(chunk, of: table, into: columns)
                    after = last
                }
                try await writer.moveIdentities(of: name, columns: columns, highestIssuedID: table.highestIssuedID)
                let count = StoreCopyReport.TableCount(
                    table: name,
                    source: try await snapshot.count(name),
                    target: try await writer.count(name)
                )
                guard count.source == count.target, inserted == count.target else {
                    throw StoreCopyError.countMismatch(name, source: count.source, target: count.target)
                }
                target.logger.info("copied", metadata: ["table": "\(name)", "rows": "\(count.target)"])
                counts.append(count)
            }
            return StoreCopyReport(tables: counts)
        }
    }

    /// Throws unless the tables of one side are exactly the ones a copy knows.
    private static func check(source names: Set<String>, expected: Set<String>, side: String) throws {
        guard names == expected else {
            let missing = expected.subtracting(names).sorted()
            let unknown = names.subtracting(expected).sorted()
            throw StoreCopyError.schemaMismatch(
                "the \(side) store "
                    + (missing.isEmpty ? "" : "lacks tables \(missing.joined(separator: ", "))")
                    + (missing.isEmpty || unknown.isEmpty ? "" : " and ")
                    + (unknown.isEmpty ? "" : "has tables this build does not know: \(unknown.joined(separator: ", "))")
            )
        }
    }

    /// Throws unless `table` has exactly the columns of the target's table, and a primary key.
    private static func check(_ table: StoreCopySource.Table, against columns: [PostgresCopyTarget.Column]) throws {
        let source = Set(table.columns)
        let target = Set(columns.map(\.name))
        guard source == target else {
            let differing = source.symmetricDifference(target).sorted().joined(separator: ", ")
            throw StoreCopyError.schemaMismatch("\(table.name) has other columns on each side (\(differing))")
        }
        guard !table.key.isEmpty else {
            throw StoreCopyError.schemaMismatch("\(table.name) has no primary key in the source")
        }
    }
}

/// What ``StoreCopy/copy(from:to:chunkRows:)`` copied.
public struct StoreCopyReport: Sendable, Hashable {
    /// The rows of one table on each side after the copy.
    public struct TableCount: Sendable, Hashable {
        /// The table.
        public let table: String
        /// Its rows in the source.
        public let source: Int64
        /// Its rows in the target.
        public let target: Int64
    }

    /// Every table, in the order copied.
    public let tables: [TableCount]
}
