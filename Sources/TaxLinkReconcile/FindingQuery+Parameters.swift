import TaxLinkCore
import TaxLinkStore

extension FindingQuery {
    /// The parameter names a report takes, on the command line (as `--name`) and in URLs.
    public static let parameterNames = [
        "platform", "period", "code", "severity", "status", "seller", "sort", "limit", "offset",
    ]

    /// A query from text parameters (flags or URL query), each checked: `code`, `severity` and `status`
    /// take one value or several separated by commas; empty values are ignored, as HTML forms send them.
    public init(parameters: [String: String]) throws(ReconcileError) {
        self.init()
        func value(_ name: String) -> String? {
            guard let text = parameters[name]?.trimmingWhitespace(), !text.isEmpty else { return nil }
            return text
        }
        func list<T: RawRepresentable>(_ name: String, _ type: T.Type) throws(ReconcileError) -> [T]
        where T.RawValue == String {
            guard let text = value(name) else { return [] }
            var values: [T] = []
            for part in text.split(separator: ",") {
                let raw = String(part).trimmingWhitespace()
                guard let parsed = T(rawValue: name == "code" ? raw.uppercased() : raw.lowercased()) else {
                    throw .invalidArgument("\(name): unknown value '\(raw)'")
                }
                values.append(parsed)
            }
            return values
        }
        func count(_ name: String) throws(ReconcileError) -> Int? {
            guard let text = value(name) else { return nil }
            guard let number = Int(text), number >= 0 else {
                throw .invalidArgument("\(name): expected a whole number ≥ 0, found '\(text)'")
            }
            return number
        }
        platform = value("platform")?.lowercased()
        if let text = value("period") {
            guard let period = TaxPeriod(text) else {
                throw .invalidArgument("period: expected YYYY-MM, found '\(text)'")
            }
            self.period = period.description
        }
        codes = try list("code", DiscrepancyCode.self)
        severities = try list("severity", FindingSeverity.self)
        statuses = try list("status", FindingStatus.self)
        seller = value("seller")
        if let text = value("sort") {
            guard let sort = FindingSort(rawValue: text.lowercased()) else {
                throw .invalidArgument("sort: expected amount or detected, found '\(text)'")
            }
            self.sort = sort
        }
        limit = try count("limit")
        offset = try count("offset") ?? 0
    }

    /// The query as text parameters (those that are set), the inverse of ``init(parameters:)``.
    public var parameters: [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        if let platform { result.append(("platform", platform)) }
        if let period { result.append(("period", period)) }
        if !codes.isEmpty { result.append(("code", codes.map(\.rawValue).joined(separator: ","))) }
        if !severities.isEmpty { result.append(("severity", severities.map(\.rawValue).joined(separator: ","))) }
        if !statuses.isEmpty { result.append(("status", statuses.map(\.rawValue).joined(separator: ","))) }
        if let seller { result.append(("seller", seller)) }
        if sort != .amount { result.append(("sort", sort.rawValue)) }
        if let limit { result.append(("limit", String(limit))) }
        if offset > 0 { result.append(("offset", String(offset))) }
        return result
    }
}
