import Hummingbird
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore

/// The forms the HTTP contract gives the parameters of the report routes, checked before the query is
/// built: a platform name is lower case, a period is `YYYY-MM`, a page size is at least 1, a list has
/// no empty values, and a parameter that is present is not empty (leave it out instead). The report's own rules (known codes,
/// statuses, sorts) are checked by `FindingQuery`.
enum ParameterRules {
    /// `platform` of a path or a filter: `^[a-z0-9_-]+$`.
    static func platform(_ text: String, name: String = "platform") throws(RequestError) -> String {
        let allowed = text.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        guard !text.isEmpty, allowed else {
            throw .invalidParameter(name, "expected a platform name of lower-case letters, digits, _ or -, found '\(text)'")
        }
        return text
    }

    /// `period` of a path or a filter: `YYYY-MM` with ASCII digits, a year from 0001 and a month 01…12.
    static func period(_ text: String, name: String = "period") throws(RequestError) -> TaxPeriod {
        let bytes = Array(text.utf8)
        let digits = bytes.count == 7 && bytes[4] == UInt8(ascii: "-")
            && bytes.enumerated().allSatisfy { index, byte in index == 4 || (0x30...0x39).contains(byte) }
        guard digits, let period = TaxPeriod(text) else {
            throw .invalidParameter(name, "expected a tax period YYYY-MM, found '\(text)'")
        }
        return period
    }

    /// The query parameters of `GET /v1/discrepancies`, checked against the contract.
    static func reportParameters(_ request: Request) throws(RequestError) -> [String: String] {
        var parameters: [String: String] = [:]
        let query = request.uri.queryParameters
        for name in FindingQuery.parameterNames {
            guard let value = query.get(name) else { continue }
            if value.isEmpty, name != "seller" {
                throw .invalidParameter(name, "empty; leave the parameter out instead")
            }
            parameters[name] = value
        }
        for name in ["code", "severity", "status"] {
            guard let text = parameters[name], !text.isEmpty else { continue }
            if text.split(separator: ",", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
                throw .invalidParameter(name, "an empty value in the list '\(text)'; separate values with single commas")
            }
        }
        if let platform = parameters["platform"] { _ = try Self.platform(platform) }
        if let period = parameters["period"] { _ = try Self.period(period) }
        for name in ["limit", "offset"] {
            guard let text = parameters[name] else { continue }
            let least = name == "limit" ? 1 : 0
            guard text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let number = Int(text), number >= least else {
                throw .invalidParameter(name, "expected a whole number ≥ \(least), found '\(text)'")
            }
        }
        return parameters
    }
}
