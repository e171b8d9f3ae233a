import TaxLinkCore
import TaxLinkStore

/// The formats of the discrepancy report.
public enum ReportFormat: String, Sendable, Hashable, CaseIterable {
    /// One JSON array.
    case json
    /// One JSON object a line.
    case jsonl
    /// RFC 4180 CSV with a header row.
    case csv

    /// The media type of a rendered report.
    public var contentType: String {
        switch self {
        case .json: "application/json"
        case .jsonl: "application/x-ndjson"
        case .csv: "text/csv; charset=utf-8"
        }
    }
}

/// The discrepancy report of `discrepancies.md`, one entry per finding.
public enum DiscrepancyReport {
    /// The report's fields, in order: the CSV header.
    public static let fields = [
        "id", "code", "severity", "platform", "tax_period", "platform_seller_id", "category", "tax_id", "record_id",
        "external_id", "expected", "actual", "amount_at_risk", "detail", "status", "detected_at",
    ]

    /// One finding as a JSON object: the report's fields (`null` where one does not apply), plus `scope`
    /// and `revision` after them.
    public static func json(_ finding: StoredFinding) -> JSONValue {
        let content = finding.content
        return .object([
            "id": .string(content.id),
            "code": .string(content.code.rawValue),
            "severity": .string(content.severity.rawValue),
            "platform": .string(content.platform),
            "tax_period": .optional(content.taxPeriod),
            "platform_seller_id": .optional(content.platformSellerID),
            "category": .optional(content.category),
            "tax_id": .optional(content.taxID),
            "record_id": .optional(content.recordID),
            "external_id": .optional(content.externalID),
            "expected": content.expected,
            "actual": content.actual,
            "amount_at_risk": .int(content.amountAtRisk),
            "detail": .string(content.detail),
            "status": .string(finding.status.rawValue),
            "detected_at": .string(finding.detectedAt.iso8601),
            "scope": .string(content.scope.rawValue),
            "revision": content.revision.map { .int($0) } ?? .null,
        ])
    }

    /// The findings rendered in `format`.
    public static func render(_ findings: [StoredFinding], format: ReportFormat) -> [UInt8] {
        switch format {
        case .json:
            var output: [UInt8] = [UInt8(ascii: "[")]
            for (index, finding) in findings.enumerated() {
                output.append(contentsOf: index == 0 ? [0x0A] : [UInt8(ascii: ","), 0x0A])
                CanonicalJSON.write(json(finding), to: &output)
            }
            output.append(contentsOf: findings.isEmpty ? [UInt8(ascii: "]"), 0x0A] : [0x0A, UInt8(ascii: "]"), 0x0A])
            return output
        case .jsonl:
            var output: [UInt8] = []
            for finding in findings {
                CanonicalJSON.write(json(finding), to: &output)
                output.append(0x0A)
            }
            return output
        case .csv:
            var writer = CSVWriter()
            writer.row(fields)
            for finding in findings { writer.row(csvCells(finding)) }
            return writer.bytes
        }
    }

    /// The CSV cells of a finding: strings as they are, numbers as digits, objects and arrays as JSON,
    /// `null` as an empty cell.
    static func csvCells(_ finding: StoredFinding) -> [String?] {
        cells(of: json(finding), fields)
    }

    /// The cells of `fields` of a report object.
    static func cells(of value: JSONValue, _ fields: [String]) -> [String?] {
        guard case .object(let object) = value else { return [] }
        return fields.map { field in
            switch object[field] {
            case .none, .null: nil
            case .string(let text): text
            case .number(let literal): literal
            case .bool(let flag): flag ? "true" : "false"
            case .some(let value): CanonicalJSON.string(value)
            }
        }
    }
}
