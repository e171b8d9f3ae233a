import GRDB
import TaxLinkCore

extension SQLiteStore: FindingsStorage {
    public func withReconciliationSnapshot<T: Sendable>(
        _ body: @Sendable (any ReconciliationSnapshot) throws -> T
    ) async throws -> T {
        try await pool.read { db in try body(SQLiteReconciliationSnapshot(db: db)) }
    }

    public func findingVersions() async throws -> [String: FindingVersion] {
        try await pool.read { db in
            var versions: [String: FindingVersion] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: "SELECT id, fingerprint, \(FindingColumns.workflow.joined(separator: ", ")) FROM findings"
            )
            while let row = try rows.next() {
                versions[row["id"]] = FindingVersion(
                    fingerprint: row["fingerprint"],
                    workflow: FindingColumns.decodeWorkflow(row)
                )
            }
            return versions
        }
    }

    public func applyFindingWrites(_ writes: [FindingWrite]) async throws {
        guard !writes.isEmpty else { return }
        try await pool.write { db in
            let history = try db.cachedStatement(sql: FindingColumns.historySQL)
            for write in writes {
                switch write {
                case .insert(let content, let workflow, _):
                    try db.cachedStatement(sql: FindingColumns.insertSQL).execute(
                        arguments: StatementArguments(
                            FindingColumns.contentValues(content) + FindingColumns.workflowValues(workflow)
                        )
                    )
                case .update(let id, let expected, let content, let workflow, _):
                    try db.cachedStatement(sql: FindingColumns.updateSQL(content: content != nil)).execute(
                        arguments: FindingColumns.updateArguments(
                            id: id,
                            expected: expected,
                            content: content,
                            workflow: workflow
                        )
                    )
                }
                guard db.changesCount == 1 else { throw FindingsStorageError.conflict(write.id) }
                switch write {
                case .insert(_, _, let entry?), .update(_, _, _, _, let entry?):
                    try history.execute(arguments: FindingColumns.historyArguments(id: write.id, entry))
                default: break
                }
            }
        }
    }

    public func releaseQuarantinedRecords(_ records: [RecordRevision]) async throws -> Int {
        guard !records.isEmpty else { return 0 }
        return try await pool.write { db in
            let statement = try db.makeStatement(
                sql: """
                    UPDATE records SET status = 'ready'
                    WHERE record_id = ? AND revision = ? AND is_latest = 1 AND status = 'quarantined'
                    """
            )
            var released = 0
            for record in records {
                try statement.execute(arguments: [record.recordID, record.revision])
                released += db.changesCount
            }
            return released
        }
    }

    public func findingRows(
        _ filter: FindingFilter,
        order: FindingOrder,
        limit: Int?,
        offset: Int
    ) async throws -> FindingRowPage {
        let (condition, arguments) = FindingColumns.filter(filter)
        let pageArguments = arguments + [limit.map { max(0, $0) } ?? -1, max(0, offset)]
        return try await pool.read { db in
            let total =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM findings\(condition)", arguments: arguments) ?? 0
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT * FROM findings\(condition) ORDER BY \(FindingColumns.orderBy(order)) LIMIT ? OFFSET ?",
                arguments: pageArguments
            )
            return FindingRowPage(rows: rows.map(FindingColumns.decode), total: total)
        }
    }

    public func findingRow(id: String) async throws -> FindingRow? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM findings WHERE id = ?", arguments: [id]).map(FindingColumns.decode)
        }
    }

    public func findingHistoryRows(ids: [String]) async throws -> [String: [FindingHistoryRow]] {
        try await pool.read { db in
            var result: [String: [FindingHistoryRow]] = [:]
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start..<min(start + 500, ids.count)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT finding_id, at, from_status, to_status, actor, note, reason FROM finding_history
                        WHERE finding_id IN (\(marks)) ORDER BY finding_id, seq
                        """,
                    arguments: StatementArguments(chunk)
                )
                for row in rows {
                    let entry = FindingHistoryRow(
                        at: Timestamp(unixSeconds: row[1]),
                        fromStatus: row[2],
                        toStatus: row[3],
                        actor: row[4],
                        note: row[5],
                        reason: row[6]
                    )
                    result[row[0], default: []].append(entry)
                }
            }
            return result
        }
    }

    public func findingTotalRows(_ filter: FindingFilter, by column: FindingColumn) async throws -> [FindingTotalRow] {
        let (condition, arguments) = FindingColumns.filter(filter)
        let name = column.rawValue
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(name), COUNT(*), clamped_sum(amount_at_risk) FROM findings\(condition)
                    GROUP BY \(name) ORDER BY clamped_sum(amount_at_risk) DESC, \(name)
                    """,
                arguments: arguments
            ).map { FindingTotalRow(key: $0[0], count: $0[1], amountAtRisk: $0[2]) }
        }
    }
}
