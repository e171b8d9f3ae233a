import GRDB
import TaxLinkCore

/// The columns of the `findings` table, and the SQL that reads and writes them.
enum FindingColumns {
    /// The content columns, in ``contentValues(_:)`` order.
    static let content = [
        "id", "code", "scope", "severity", "platform", "tax_period", "platform_seller_id", "category", "tax_id",
        "record_id", "external_id", "revision", "expected", "actual", "amount_at_risk", "detail", "fingerprint",
    ]
    /// The workflow columns, in ``workflowValues(_:)`` order.
    static let workflow = ["status", "resolution", "active", "detected_at", "updated_at"]

    static let insertSQL = """
        INSERT OR IGNORE INTO findings (\((content + workflow).joined(separator: ", ")))
        VALUES (\(Array(repeating: "?", count: content.count + workflow.count).joined(separator: ", ")))
        """

    /// Sets the workflow columns (and the content columns but the id, when `content`) of the finding whose
    /// id, fingerprint and workflow columns are the last arguments.
    static func updateSQL(content: Bool) -> String { content ? updateAllSQL : updateWorkflowSQL }

    private static let updateAllSQL = makeUpdateSQL(content: true)
    private static let updateWorkflowSQL = makeUpdateSQL(content: false)

    private static func makeUpdateSQL(content: Bool) -> String {
        let columns = (content ? Array(Self.content.dropFirst()) : []) + workflow
        let assignments = columns.map { "\($0) = ?" }.joined(separator: ", ")
        let expected = (["fingerprint"] + workflow).map { " AND \($0) IS ?" }.joined()
        return "UPDATE findings SET \(assignments) WHERE id = ?\(expected)"
    }

    static let historySQL = """
        INSERT INTO finding_history (finding_id, at, from_status, to_status, actor, note, reason)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """

    static func contentValues(_ row: FindingContentRow) -> [(any DatabaseValueConvertible)?] {
        [
            row.id, row.code, row.scope, row.severity, row.platform, row.taxPeriod, row.platformSellerID, row.category,
            row.taxID, row.recordID, row.externalID, row.revision, row.expected, row.actual, row.amountAtRisk,
            row.detail, row.fingerprint,
        ]
    }

    static func workflowValues(_ row: FindingWorkflowRow) -> [(any DatabaseValueConvertible)?] {
        [row.status, row.resolution, row.active, row.detectedAt.seconds, row.updatedAt.seconds]
    }

    /// The arguments of ``updateSQL(content:)``.
    static func updateArguments(
        id: String,
        expected: FindingVersion,
        content: FindingContentRow?,
        workflow: FindingWorkflowRow
    ) -> StatementArguments {
        let assigned = (content.map { Array(contentValues($0).dropFirst()) } ?? []) + workflowValues(workflow)
        return StatementArguments(assigned + [id, expected.fingerprint] + workflowValues(expected.workflow))
    }

    static func historyArguments(id: String, _ row: FindingHistoryRow) -> StatementArguments {
        [id, row.at.seconds, row.fromStatus, row.toStatus, row.actor, row.note, row.reason]
    }

    static func decodeWorkflow(_ row: Row) -> FindingWorkflowRow {
        FindingWorkflowRow(
            status: row["status"],
            resolution: row["resolution"],
            active: row["active"],
            detectedAt: Timestamp(unixSeconds: row["detected_at"]),
            updatedAt: Timestamp(unixSeconds: row["updated_at"])
        )
    }

    static func decode(_ row: Row) -> FindingRow {
        FindingRow(
            content: FindingContentRow(
                id: row["id"],
                code: row["code"],
                scope: row["scope"],
                severity: row["severity"],
                platform: row["platform"],
                taxPeriod: row["tax_period"],
                platformSellerID: row["platform_seller_id"],
                category: row["category"],
                taxID: row["tax_id"],
                recordID: row["record_id"],
                externalID: row["external_id"],
                revision: row["revision"],
                expected: row["expected"],
                actual: row["actual"],
                amountAtRisk: row["amount_at_risk"],
                detail: row["detail"],
                fingerprint: row["fingerprint"]
            ),
            workflow: decodeWorkflow(row)
        )
    }

    /// The WHERE clause of a filter.
    static func filter(_ filter: FindingFilter) -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments = StatementArguments()
        func any(_ column: String, _ values: [String]) {
            guard !values.isEmpty else { return }
            conditions.append("\(column) IN (\(Array(repeating: "?", count: values.count).joined(separator: ",")))")
            arguments += StatementArguments(values)
        }
        any("platform", filter.platform.map { [$0] } ?? [])
        any("tax_period", filter.taxPeriod.map { [$0] } ?? [])
        any("code", filter.codes)
        any("severity", filter.severities)
        any("status", filter.statuses)
        any("platform_seller_id", filter.platformSellerID.map { [$0] } ?? [])
        return (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "), arguments)
    }

    /// The ORDER BY terms of `order`.
    static func orderBy(_ order: FindingOrder) -> String {
        switch order {
        case .amountAtRisk: "amount_at_risk DESC, code, platform, record_id, id"
        case .detectedAt: "detected_at DESC, amount_at_risk DESC, code, platform, record_id, id"
        }
    }
}
