import GRDB
import TaxLinkCore

extension SQLiteStore: FindingsStorage {
    public func withReconciliationSnapshot<T: Sendable>(
        _ body: @Sendable (any ReconciliationSnapshot) throws -> T
    ) async throws -> T {
        try await pool.read { db in try body(SQLiteReconciliationSnapshot(db: db)) }
    }

    public func syncFindings(_ findings: [FindingContent], at: Timestamp, actor: String) async throws
        -> FindingsSyncSummary
    {
        try await pool.write { db in
            var known: [String: (fingerprint: String, status: String, active: Bool)] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT id, fingerprint, status, active FROM findings")
            while let row = try rows.next() { known[row[0]] = (row[1], row[2], row[3]) }
            var summary = FindingsSyncSummary()
            var seen = Set<String>()
            seen.reserveCapacity(findings.count)
            let history = try db.cachedStatement(
                sql: """
                    INSERT INTO finding_history (finding_id, at, from_status, to_status, actor, note, reason)
                    VALUES (?, ?, ?, ?, ?, NULL, ?)
                    """
            )
            for finding in findings where seen.insert(finding.id).inserted {
                let columns = FindingColumns(finding)
                guard let stored = known[finding.id] else {
                    try db.cachedStatement(sql: FindingColumns.insertSQL).execute(
                        arguments: StatementArguments(columns.values + [at.seconds, at.seconds])
                    )
                    try history.execute(arguments: [finding.id, at.seconds, nil, "open", actor, "detected"])
                    summary.opened += 1
                    continue
                }
                if !stored.active {
                    let reopen = stored.status == FindingStatus.resolved.rawValue
                    try db.cachedStatement(sql: FindingColumns.updateSQL(reopen: reopen)).execute(
                        arguments: columns.updateArguments(at: at, id: finding.id)
                    )
                    if reopen {
                        try history.execute(arguments: [
                            finding.id, at.seconds, stored.status, "open", actor, "reappeared",
                        ])
                        summary.reopened += 1
                    } else {
                        summary.updated += 1
                    }
                } else if stored.fingerprint != columns.fingerprint {
                    try db.cachedStatement(sql: FindingColumns.updateSQL(reopen: false)).execute(
                        arguments: columns.updateArguments(at: at, id: finding.id)
                    )
                    summary.updated += 1
                } else {
                    summary.unchanged += 1
                }
            }
            let vanished = known.filter { $0.value.active && !seen.contains($0.key) }.sorted { $0.key < $1.key }
            for (id, stored) in vanished {
                if stored.status == FindingStatus.resolved.rawValue {
                    try db.execute(sql: "UPDATE findings SET active = 0 WHERE id = ?", arguments: [id])
                } else {
                    try db.execute(
                        sql: """
                            UPDATE findings SET active = 0, status = 'resolved', resolution = 'superseded', updated_at = ?
                            WHERE id = ?
                            """,
                        arguments: [at.seconds, id]
                    )
                    try history.execute(arguments: [id, at.seconds, stored.status, "resolved", actor, "superseded"])
                }
                summary.superseded += 1
            }
            return summary
        }
    }

    public func releaseCorrectedRecords() async throws -> Int {
        let conditions = DiscrepancyCode.allCases.filter(\.quarantines).map { "instr(flags, '\($0.rawValue)') = 0" }
        return try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE records SET status = 'ready'
                    WHERE is_latest = 1 AND status = 'quarantined' AND \(conditions.joined(separator: " AND "))
                    """
            )
            return db.changesCount
        }
    }

    public func findings(_ query: FindingQuery) async throws -> FindingPage {
        let (filter, arguments) = FindingColumns.filter(query)
        let order =
            query.sort == .amount
            ? "amount_at_risk DESC, code, platform, record_id, id"
            : "detected_at DESC, amount_at_risk DESC, code, platform, record_id, id"
        let page = " LIMIT ? OFFSET ?"
        let pageArguments = arguments + [query.limit.map { max(0, $0) } ?? -1, max(0, query.offset)]
        return try await pool.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM findings\(filter)", arguments: arguments) ?? 0
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT * FROM findings\(filter) ORDER BY \(order)\(page)",
                arguments: pageArguments
            )
            return FindingPage(findings: try rows.map(FindingColumns.decode), total: total)
        }
    }

    public func finding(id: String) async throws -> StoredFinding? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM findings WHERE id = ?", arguments: [id]).map(FindingColumns.decode)
        }
    }

    public func findingHistory(ids: [String]) async throws -> [String: [FindingHistoryEntry]] {
        try await pool.read { db in
            var result: [String: [FindingHistoryEntry]] = [:]
            for chunk in stride(from: 0, to: ids.count, by: 500).map({ ids[$0..<min($0 + 500, ids.count)] }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT finding_id, at, from_status, to_status, actor, note, reason FROM finding_history
                        WHERE finding_id IN (\(marks)) ORDER BY finding_id, seq
                        """,
                    arguments: StatementArguments(Array(chunk))
                )
                for row in rows {
                    let entry = FindingHistoryEntry(
                        at: Timestamp(unixSeconds: row[1]),
                        from: (row[2] as String?).flatMap(FindingStatus.init),
                        to: FindingStatus(rawValue: row[3]) ?? .open,
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

    public func changeFindingStatus(
        id: String,
        to status: FindingStatus,
        note: String,
        actor: String,
        at: Timestamp
    ) async throws -> StoredFinding {
        try await pool.write { db in
            guard let text = try String.fetchOne(db, sql: "SELECT status FROM findings WHERE id = ?", arguments: [id])
            else { throw FindingsStorageError.notFound(id) }
            let current = FindingStatus(rawValue: text) ?? .open
            guard current.allowsChange(to: status) else {
                throw FindingsStorageError.invalidTransition(from: current, to: status)
            }
            try db.execute(
                sql: "UPDATE findings SET status = ?, resolution = ?, updated_at = ? WHERE id = ?",
                arguments: [status.rawValue, status == .resolved ? note : nil, at.seconds, id]
            )
            try db.execute(
                sql: """
                    INSERT INTO finding_history (finding_id, at, from_status, to_status, actor, note, reason)
                    VALUES (?, ?, ?, ?, ?, ?, 'analyst')
                    """,
                arguments: [id, at.seconds, current.rawValue, status.rawValue, actor, note]
            )
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM findings WHERE id = ?", arguments: [id]) else {
                throw FindingsStorageError.notFound(id)
            }
            return try FindingColumns.decode(row)
        }
    }

    public func findingTotals(_ query: FindingQuery, by dimension: FindingDimension) async throws -> [FindingTotal] {
        let (filter, arguments) = FindingColumns.filter(query)
        let column = dimension.rawValue
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(column), COUNT(*), clamped_sum(amount_at_risk) FROM findings\(filter)
                    GROUP BY \(column) ORDER BY clamped_sum(amount_at_risk) DESC, \(column)
                    """,
                arguments: arguments
            ).map { FindingTotal(key: $0[0], count: $0[1], amountAtRisk: $0[2]) }
        }
    }
}
