import PostgresNIO
import TaxLinkCore

extension PostgresStore {
    /// `findings`' columns as ``decodeFinding(_:)`` reads them.
    static let findingColumns = """
        id, code, scope, severity, platform, tax_period, platform_seller_id, category, tax_id, record_id, external_id,
        revision, expected, actual, amount_at_risk, detail, fingerprint, status, resolution, active, detected_at,
        updated_at
        """

    /// Σ `amount_at_risk` clamped to `Int64`, as SQLite's `clamped_sum` (PostgreSQL sums `bigint` exactly,
    /// as `numeric`).
    private static let clampedAmountSum =
        "least(greatest(sum(amount_at_risk), -9223372036854775808), 9223372036854775807)::bigint"

    public func findingRows(
        _ filter: FindingFilter,
        order: FindingOrder,
        limit: Int?,
        offset: Int
    ) async throws -> FindingRowPage {
        var (condition, bindings) = Self.findingCondition(filter)
        let counting = PostgresQuery(unsafeSQL: "SELECT count(*) FROM findings\(condition)", binds: bindings)
        bindings.append(limit.map { Int64(max(0, $0)) })
        bindings.append(Int64(max(0, offset)))
        let sql = """
            SELECT \(Self.findingColumns) FROM findings\(condition)
            ORDER BY \(Self.findingOrder(order)) LIMIT $\(bindings.count - 1) OFFSET $\(bindings.count)
            """
        return try await withTransaction(isolation: .repeatableRead) { connection in
            var total = 0
            for try await count in try await connection.query(counting, logger: logger).decode(Int.self) {
                total = count
            }
            var rows: [FindingRow] = []
            for try await row in try await connection.query(
                PostgresQuery(unsafeSQL: sql, binds: bindings),
                logger: logger
            ) {
                rows.append(try Self.decodeFinding(row))
            }
            return FindingRowPage(rows: rows, total: total)
        }
    }

    public func findingRow(id: String) async throws -> FindingRow? {
        try await withConnection { connection in
            let sql = "SELECT \(Self.findingColumns) FROM findings WHERE id = $1"
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(id)
            for try await row in try await connection.query(
                PostgresQuery(unsafeSQL: sql, binds: bindings),
                logger: logger
            ) {
                return try Self.decodeFinding(row)
            }
            return nil
        }
    }

    public func findingHistoryRows(ids: [String]) async throws -> [String: [FindingHistoryRow]] {
        guard !ids.isEmpty else { return [:] }
        return try await withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT finding_id, at, from_status, to_status, actor, note, reason FROM finding_history
                WHERE finding_id = ANY(\(ids)) ORDER BY finding_id, seq
                """,
                logger: logger
            )
            var result: [String: [FindingHistoryRow]] = [:]
            for try await (id, at, from, to, actor, note, reason) in rows.decode(
                (String, Int64, String?, String, String, String?, String).self
            ) {
                result[id, default: []].append(
                    FindingHistoryRow(
                        at: Timestamp(unixSeconds: at),
                        fromStatus: from,
                        toStatus: to,
                        actor: actor,
                        note: note,
                        reason: reason
                    )
                )
            }
            return result
        }
    }

    public func findingTotalRows(_ filter: FindingFilter, by column: FindingColumn) async throws -> [FindingTotalRow] {
        let (condition, bindings) = Self.findingCondition(filter)
        let name = column.rawValue
        let sql = """
            SELECT \(name), count(*), \(Self.clampedAmountSum) FROM findings\(condition)
            GROUP BY \(name) ORDER BY 3 DESC, \(name) NULLS FIRST
            """
        return try await withConnection { connection in
            var totals: [FindingTotalRow] = []
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
            for try await (key, count, amount) in rows.decode((String?, Int, Int64).self) {
                totals.append(FindingTotalRow(key: key, count: count, amountAtRisk: amount))
            }
            return totals
        }
    }

    /// The WHERE clause of `filter` (empty for none), its values bound as `$1`, `$2`, ….
    private static func findingCondition(_ filter: FindingFilter) -> (String, PostgresBindings) {
        var bindings = PostgresBindings()
        var conditions: [String] = []
        func any(_ column: String, _ values: [String]) {
            guard !values.isEmpty else { return }
            bindings.append(values)
            conditions.append("\(column) = ANY($\(bindings.count))")
        }
        any("platform", filter.platform.map { [$0] } ?? [])
        any("tax_period", filter.taxPeriod.map { [$0] } ?? [])
        any("code", filter.codes)
        any("severity", filter.severities)
        any("status", filter.statuses)
        any("platform_seller_id", filter.platformSellerID.map { [$0] } ?? [])
        return (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "), bindings)
    }

    /// The ORDER BY terms of `order`, `NULL`s first as SQLite sorts them.
    private static func findingOrder(_ order: FindingOrder) -> String {
        let tail = "code, platform, record_id NULLS FIRST, id"
        switch order {
        case .amountAtRisk: return "amount_at_risk DESC, \(tail)"
        case .detectedAt: return "detected_at DESC, amount_at_risk DESC, \(tail)"
        }
    }

    /// A row of ``findingColumns``.
    static func decodeFinding(_ row: PostgresRow) throws -> FindingRow {
        let row = row.makeRandomAccess()
        func text(_ index: Int) throws -> String { try row[index].decode(String.self) }
        func optionalText(_ index: Int) throws -> String? { try row[index].decode(String?.self) }
        func seconds(_ index: Int) throws -> Timestamp { Timestamp(unixSeconds: try row[index].decode(Int64.self)) }
        return FindingRow(
            content: FindingContentRow(
                id: try text(0),
                code: try text(1),
                scope: try text(2),
                severity: try text(3),
                platform: try text(4),
                taxPeriod: try optionalText(5),
                platformSellerID: try optionalText(6),
                category: try optionalText(7),
                taxID: try optionalText(8),
                recordID: try optionalText(9),
                externalID: try optionalText(10),
                revision: try row[11].decode(Int?.self),
                expected: try text(12),
                actual: try text(13),
                amountAtRisk: try row[14].decode(Int64.self),
                detail: try text(15),
                fingerprint: try text(16)
            ),
            workflow: FindingWorkflowRow(
                status: try text(17),
                resolution: try optionalText(18),
                active: try row[19].decode(Bool.self),
                detectedAt: try seconds(20),
                updatedAt: try seconds(21)
            )
        )
    }
}
