import Crypto
import GRDB
import TaxLinkCore

/// The columns of a finding, and the SQL that reads and writes them.
struct FindingColumns {
    let finding: FindingContent
    /// A digest of the content: a stored finding whose fingerprint matches needs no write.
    let fingerprint: String

    static let contentColumns = [
        "id", "code", "scope", "severity", "platform", "tax_period", "platform_seller_id", "category", "tax_id",
        "record_id", "external_id", "revision", "expected", "actual", "amount_at_risk", "detail", "fingerprint",
    ]

    static let insertSQL = """
        INSERT INTO findings (\(contentColumns.joined(separator: ", ")), status, resolution, active, detected_at, updated_at)
        VALUES (\(Array(repeating: "?", count: contentColumns.count).joined(separator: ", ")), 'open', NULL, 1, ?, ?)
        """

    static func updateSQL(reopen: Bool) -> String { reopen ? reopenSQL : refreshSQL }

    private static let refreshSQL = makeUpdateSQL(reopen: false)
    private static let reopenSQL = makeUpdateSQL(reopen: true)

    private static func makeUpdateSQL(reopen: Bool) -> String {
        let assignments = contentColumns.dropFirst().map { "\($0) = ?" }.joined(separator: ", ")
        let status = reopen ? ", status = 'open', resolution = NULL" : ""
        return "UPDATE findings SET \(assignments), active = 1\(status), updated_at = ? WHERE id = ?"
    }

    init(_ finding: FindingContent) {
        self.finding = finding
        var buffer: [UInt8] = []
        buffer.reserveCapacity(512)
        func add(_ text: String?) {
            if let text { buffer.append(contentsOf: text.utf8) } else { buffer.append(0) }
            buffer.append(0x1F)
        }
        add(finding.id)
        add(finding.code.rawValue)
        add(finding.scope.rawValue)
        add(finding.severity.rawValue)
        add(finding.platform)
        add(finding.taxPeriod)
        add(finding.platformSellerID)
        add(finding.category)
        add(finding.taxID)
        add(finding.recordID)
        add(finding.externalID)
        add(finding.revision.map(String.init))
        CanonicalJSON.write(finding.expected, to: &buffer)
        buffer.append(0x1F)
        CanonicalJSON.write(finding.actual, to: &buffer)
        buffer.append(0x1F)
        add(String(finding.amountAtRisk))
        add(finding.detail)
        fingerprint = hexString(SHA256.hash(data: buffer))
    }

    /// The content columns' values, in ``contentColumns`` order, the fingerprint last.
    var values: [(any DatabaseValueConvertible)?] {
        [
            finding.id, finding.code.rawValue, finding.scope.rawValue, finding.severity.rawValue, finding.platform,
            finding.taxPeriod, finding.platformSellerID, finding.category, finding.taxID, finding.recordID,
            finding.externalID, finding.revision, CanonicalJSON.string(finding.expected),
            CanonicalJSON.string(finding.actual), finding.amountAtRisk, finding.detail, fingerprint,
        ]
    }

    /// The arguments of ``updateSQL(reopen:)``: every content column but the id, the time, then the id.
    func updateArguments(at: Timestamp, id: String) -> StatementArguments {
        var arguments = Array(values.dropFirst())
        arguments.append(at.seconds)
        arguments.append(id)
        return StatementArguments(arguments)
    }

    static func decode(_ row: Row) throws -> StoredFinding {
        let code: String = row["code"]
        guard let discrepancy = DiscrepancyCode(rawValue: code) else {
            throw FindingsStorageError.corrupt("findings.code: unknown code \(code)")
        }
        let expected: String = row["expected"]
        let actual: String = row["actual"]
        let content = FindingContent(
            id: row["id"],
            code: discrepancy,
            scope: FindingScope(rawValue: row["scope"]) ?? .record,
            severity: FindingSeverity(rawValue: row["severity"]) ?? .info,
            platform: row["platform"],
            taxPeriod: row["tax_period"],
            platformSellerID: row["platform_seller_id"],
            category: row["category"],
            taxID: row["tax_id"],
            recordID: row["record_id"],
            externalID: row["external_id"],
            revision: row["revision"],
            expected: try JSONParser.parse(Array(expected.utf8)),
            actual: try JSONParser.parse(Array(actual.utf8)),
            amountAtRisk: row["amount_at_risk"],
            detail: row["detail"]
        )
        return StoredFinding(
            content: content,
            status: FindingStatus(rawValue: row["status"]) ?? .open,
            detectedAt: Timestamp(unixSeconds: row["detected_at"]),
            updatedAt: Timestamp(unixSeconds: row["updated_at"]),
            active: row["active"],
            resolution: row["resolution"]
        )
    }

    /// The WHERE clause of a query's filters.
    static func filter(_ query: FindingQuery) -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments = StatementArguments()
        func any(_ column: String, _ values: [String]) {
            guard !values.isEmpty else { return }
            conditions.append("\(column) IN (\(Array(repeating: "?", count: values.count).joined(separator: ",")))")
            arguments += StatementArguments(values)
        }
        any("platform", query.platform.map { [$0] } ?? [])
        any("tax_period", query.period.map { [$0] } ?? [])
        any("code", query.codes.map(\.rawValue))
        any("severity", query.severities.map(\.rawValue))
        any("status", query.statuses.map(\.rawValue))
        any("platform_seller_id", query.seller.map { [$0] } ?? [])
        return (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "), arguments)
    }
}

private let hexDigits = Array("0123456789abcdef".utf8)

/// Lower-case hex of a digest.
private func hexString(_ digest: SHA256.Digest) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(64)
    for byte in digest {
        bytes.append(hexDigits[Int(byte >> 4)])
        bytes.append(hexDigits[Int(byte & 0xF)])
    }
    return String(decoding: bytes, as: UTF8.self)
}
