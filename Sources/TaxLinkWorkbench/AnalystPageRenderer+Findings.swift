import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore

extension AnalystPageRenderer {
    static func findingsTable(_ model: AnalystPageModel) -> String {
        let shown = model.page.findings.count
        var html = "<h2>Findings (\(shown) of \(model.page.total))</h2>\n<table><tr><th>Severity</th><th>Code</th>"
        html += "<th>Platform</th><th>Period</th><th>Seller</th><th>Record / order</th><th>Expected</th><th>Actual</th>"
        html += "<th class=num>At risk (₫)</th><th>Status</th><th>Detected</th></tr>\n"
        for finding in model.page.findings {
            let content = finding.content
            html += "<tr id=\"\(escape(content.id))\"><td><span class=sev-\(content.severity.rawValue)>"
            html += "\(content.severity.rawValue)</span></td><td>\(content.code.rawValue)</td>"
            html += "<td>\(escape(content.platform))</td><td>\(escape(content.taxPeriod ?? "—"))</td>"
            html += "<td>\(escape(content.platformSellerID ?? "—"))\(content.category.map { " / " + escape($0) } ?? "")"
            html += "\(content.taxID.map { "<br><code>" + escape($0) + "</code>" } ?? "")</td>"
            html += "<td><code>\(escape(content.recordID ?? content.externalID ?? "—"))</code></td>"
            html += "<td><code>\(escape(display(content.expected)))</code></td>"
            html += "<td><code>\(escape(display(content.actual)))</code></td>"
            html += "<td class=num>\(money(content.amountAtRisk))</td><td>\(finding.status.rawValue)</td>"
            html += "<td>\(finding.detectedAt.iso8601)</td></tr>\n"
            html += "<tr><td></td><td colspan=10><details><summary>\(escape(content.detail))</summary>"
            html += historyList(model.history[content.id] ?? [])
            html += statusForm(finding, model: model)
            html += "</details></td></tr>\n"
        }
        return html + "</table>\n"
    }

    private static func historyList(_ entries: [FindingHistoryEntry]) -> String {
        var html = "<ol>"
        for entry in entries {
            html += "<li>\(entry.at.iso8601): \(entry.from.map { $0.rawValue + " → " } ?? "")\(entry.to.rawValue)"
            html += " by \(escape(entry.actor)) (\(escape(entry.reason)))"
            if let note = entry.note { html += ": \(escape(note))" }
            html += "</li>"
        }
        return html + "</ol>"
    }

    private static func statusForm(_ finding: StoredFinding, model: AnalystPageModel) -> String {
        let targets = FindingStatus.allCases.filter { finding.status.allowsChange(to: $0) }
        guard !targets.isEmpty else { return "" }
        var html = "<form method=post action=\"/analyst/findings/\(percentEncoded(finding.content.id))\">"
        html += "<input type=hidden name=token value=\"\(escape(model.token))\">"
        html += "<input type=hidden name=return value=\"\(escape(queryString(model.query.parameters, token: nil)))\">"
        html += "<select name=status>" + targets.map { "<option>\($0.rawValue)</option>" }.joined() + "</select> "
        html +=
            "<input name=note required placeholder=\"note (required)\" size=40 maxlength=2000> <button>Change</button></form>"
        return html
    }

    /// Links to the previous and next pages. Offset and limit come from the URL and may be as large as
    /// `Int.max`, so the next page's offset is computed with an overflow check (none past the end).
    static func pager(_ model: AnalystPageModel) -> String {
        let limit = model.query.limit ?? model.page.total
        let offset = model.query.offset
        guard limit > 0, model.page.total > limit else { return "" }
        var html = "<p class=pager>"
        if offset > 0 {
            var previous = model.query
            previous.offset = offset > limit ? offset - limit : 0
            html += link("← previous", "/analyst", previous.parameters, model.token)
        }
        let (end, overflow) = offset.addingReportingOverflow(limit)
        if !overflow, end < model.page.total {
            var next = model.query
            next.offset = end
            html += link("next →", "/analyst", next.parameters, model.token)
        }
        return html + "</p>\n"
    }

    /// A link carrying the query and the token.
    static func link(_ text: String, _ path: String, _ parameters: [(name: String, value: String)], _ token: String)
        -> String
    {
        "<a href=\"\(escape(path + "?" + queryString(parameters, token: token)))\">\(escape(text))</a>"
    }

    /// `name=value&…`, percent-encoded, with the token first when given.
    public static func queryString(_ parameters: [(name: String, value: String)], token: String?) -> String {
        let all = (token.map { [(name: "token", value: $0)] } ?? []) + parameters
        return all.map { "\(percentEncoded($0.name))=\(percentEncoded($0.value))" }.joined(separator: "&")
    }

    /// A value as shown in a cell: strings bare, `null` as a dash, anything else as JSON.
    static func display(_ value: JSONValue) -> String {
        switch value {
        case .null: "—"
        case .string(let text): text
        default: CanonicalJSON.string(value)
        }
    }

    /// `1.234.567`: đồng with Vietnamese digit grouping.
    static func money(_ amount: Int64) -> String {
        let digits = String(amount.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(".") }
            grouped.append(digit)
        }
        return (amount < 0 ? "-" : "") + grouped
    }

    /// Text safe in HTML content and quoted attributes.
    public static func escape(_ text: String) -> String {
        WorkbenchFormat.html(text)
    }

    /// Percent-encoding of everything but the unreserved characters of RFC 3986.
    public static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
