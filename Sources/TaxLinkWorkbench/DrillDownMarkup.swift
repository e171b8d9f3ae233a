import TaxLinkCore

/// The URLs of the drill-down pages. Ids are percent-encoded into the path, so an order id with `/`,
/// `?` or `#` in it still names one page.
public enum DrillDownLinks {
    /// The record view of `recordID`; `finding` marks the finding the analyst came from.
    public static func record(_ recordID: String, finding: String? = nil) -> String {
        WorkbenchFormat.url(
            "/analyst/records/" + WorkbenchFormat.percentEncoded(recordID),
            finding.map { [(name: "finding", value: $0)] } ?? []
        )
    }

    /// The seller view of `sellerID` (on `platform` when given).
    public static func seller(_ sellerID: String, platform: String? = nil) -> String {
        WorkbenchFormat.url(
            "/analyst/sellers/" + WorkbenchFormat.percentEncoded(sellerID),
            platform.map { [(name: "platform", value: $0)] } ?? []
        )
    }

    /// The schedule page of `platform` and `period`, or one of its downloads (`format` `xml`, `csv`, `json`).
    public static func schedule(platform: String, period: String, format: String? = nil) -> String {
        WorkbenchFormat.url(
            "/analyst/schedule",
            [(name: "platform", value: platform), (name: "period", value: period)]
                + (format.map { [(name: "format", value: $0)] } ?? [])
        )
    }
}

/// Markup shared by the drill-down pages: table cells that become labelled lines on small screens, đồng
/// and Vietnam times. Every text is escaped here or by the caller; nothing from a feed reaches a page raw.
enum DrillDownMarkup {
    static func html(_ text: String) -> String { WorkbenchFormat.html(text) }

    /// A cell labelled `label` on small screens (`markup` is already escaped).
    static func cell(_ label: String, _ markup: String) -> String {
        "<td data-label=\"\(html(label))\">\(markup)</td>"
    }

    /// A cell of a number (aligned right), labelled `label` on small screens.
    static func numberCell(_ label: String, _ markup: String) -> String {
        "<td data-label=\"\(html(label))\" class=num>\(markup)</td>"
    }

    /// A table with id `id` (a card per row on small screens), its header `columns`, then `rows` (markup).
    static func table(id: String, labelledBy heading: String, columns: [String], rows: [String]) -> String {
        var table = "<table class=cards id=\"\(id)\" aria-labelledby=\"\(heading)\"><thead><tr>"
        table += columns.map { "<th scope=col>\(html($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        return table + rows.joined() + "</tbody></table>\n"
    }

    /// A section heading with an id for `aria-labelledby`.
    static func heading(_ id: String, _ text: String) -> String {
        "<h2 id=\"\(id)\">\(html(text))</h2>\n"
    }

    /// An amount in đồng, escaped.
    static func money(_ amount: Int64, _ context: WorkbenchContext) -> String {
        html(WorkbenchFormat.vnd(amount, language: context.language))
    }

    /// An optional amount in đồng, a dash when missing.
    static func money(_ amount: Int64?, _ context: WorkbenchContext) -> String {
        amount.map { money($0, context) } ?? "—"
    }

    /// An instant in Vietnam time.
    static func time(_ time: Timestamp, _ context: WorkbenchContext) -> String {
        WorkbenchFormat.timeElement(time, language: context.language)
    }

    /// A link to `url` (unescaped) showing `text` (unescaped), with `attributes` markup.
    static func link(_ text: String, _ url: String, attributes: String = "") -> String {
        "<a href=\"\(html(url))\"\(attributes.isEmpty ? "" : " " + attributes)>\(html(text))</a>"
    }
}
