import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore

/// The table that sets computed figures beside declared ones, row by row, with every differing figure
/// marked (`class=diff`, and a row `data-outcome` other than `matches`). The schedule page leads each row
/// with the seller; the seller view with the platform and period.
enum ComparisonTable {
    /// What identifies a row in the leading columns.
    enum Leading {
        /// Business group, seller (linked to its view), name and tax id: the schedule page.
        case seller
        /// Platform, period (linked to the schedule) and group: the seller view.
        case period
    }

    static func render(
        id: String,
        labelledBy heading: String,
        _ rows: [DeclarationComparisonRow],
        leading: Leading,
        context: WorkbenchContext
    ) -> String {
        let text = context.text
        guard !rows.isEmpty else { return "<p id=\"\(id)-none\">\(DrillDownMarkup.html(text.nothingFound))</p>\n" }
        let leadingColumns =
            switch leading {
            case .seller: [text.group, text.seller, text.sellerName, text.taxID]
            case .period: [text.platform, text.period, text.group, text.recordCount]
            }
        let figureColumns = [text.revenue, text.vat, text.pit]
        let columns =
            leadingColumns + figureColumns.map { "\(text.computed): \($0)" }
            + figureColumns.map { "\(text.declared): \($0)" } + [text.comparison]
        return DrillDownMarkup.table(
            id: id,
            labelledBy: heading,
            columns: columns,
            rows: rows.map { row($0, leading: leading, context: context) }
        )
    }

    private static func row(_ row: DeclarationComparisonRow, leading: Leading, context: WorkbenchContext) -> String {
        let text = context.text
        let html = DrillDownMarkup.html
        let cell = DrillDownMarkup.cell
        let outcome = row.outcome
        var markup = "<tr data-outcome=\"\(outcome.rawValue)\" data-seller-id=\"\(html(row.platformSellerID))\""
        markup += " data-period=\"\(row.period)\" data-group=\"\(row.group.rawValue)\">"
        switch leading {
        case .seller:
            markup += cell(text.group, html(row.group.rawValue))
            let seller = DrillDownLinks.seller(row.platformSellerID, platform: row.platform)
            markup += cell(text.seller, DrillDownMarkup.link(row.platformSellerID, seller))
            markup += cell(text.sellerName, html(row.sellerName))
            markup += cell(text.taxID, "<code>\(html(row.taxID ?? "—"))</code>")
        case .period:
            markup += cell(text.platform, html(row.platform))
            let schedule = DrillDownLinks.schedule(platform: row.platform, period: row.period.description)
            markup += cell(text.period, DrillDownMarkup.link(row.period.description, schedule))
            markup += cell(text.group, html(row.group.rawValue))
            markup += cell(
                text.recordCount,
                row.records.map { WorkbenchFormat.count($0, language: context.language) } ?? "—"
            )
        }
        let differing = Set(row.differing)
        func figures(_ side: WithheldFigures?, _ label: String) -> String {
            DeclarationComparisonRow.Figure.allCases.map { figure in
                let amount: Int64? =
                    switch figure {
                    case .revenue: side?.revenue
                    case .vat: side?.vat
                    case .pit: side?.pit
                    }
                let name = "\(label): \(self.name(of: figure, text))"
                let marked = differing.contains(figure) && outcome != .noDeclaration
                return "<td data-label=\"\(html(name))\" class=\"num\(marked ? " diff" : "")\""
                    + " data-figure=\"\(figure.rawValue)\">\(DrillDownMarkup.money(amount, context))</td>"
            }.joined()
        }
        markup += figures(row.computed, text.computed)
        markup += figures(row.declared, text.declared)
        var verdict = html(text.name(of: outcome))
        if outcome == .differs {
            let differences = row.differing.compactMap { figure in
                row.difference(figure).map { "\(name(of: figure, text)) \(signed($0, context))" }
            }
            if !differences.isEmpty {
                verdict += "<br><small>" + html(differences.joined(separator: "; ")) + "</small>"
            }
        }
        markup += cell(text.comparison, "<strong class=outcome-\(outcome.rawValue)>\(verdict)</strong>")
        return markup + "</tr>\n"
    }

    /// The records or rows left out of computed figures, if any.
    static func exclusions(_ excluded: [PeriodSchedule.Exclusion], context: WorkbenchContext) -> String {
        guard !excluded.isEmpty else { return "" }
        let html = DrillDownMarkup.html
        var list =
            "<details id=\"excluded\"><summary>\(html(context.text.excludedRecords)) (\(excluded.count))</summary><ul>"
        for exclusion in excluded {
            list += "<li><code>\(html(exclusion.subject))</code>: \(html(exclusion.reason))</li>"
        }
        return list + "</ul></details>\n"
    }

    static func name(of figure: DeclarationComparisonRow.Figure, _ text: WorkbenchText) -> String {
        switch figure {
        case .revenue: text.revenue
        case .vat: text.vat
        case .pit: text.pit
        }
    }

    /// A difference in đồng with its sign (`+1.000 ₫` declared more, `-1.000 ₫` declared less).
    static func signed(_ amount: Int64, _ context: WorkbenchContext) -> String {
        (amount > 0 ? "+" : "") + WorkbenchFormat.vnd(amount, language: context.language)
    }
}
