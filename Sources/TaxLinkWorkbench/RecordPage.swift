import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore

/// The record view (`/analyst/records/{recordID}`): every revision of a record with its flags, its source
/// feed and received time, amounts in đồng and lines; the batches that carry it with their receipts; and
/// the findings on it.
///
/// Stable hooks for tests: `data-record-id` on `#record`, `#revisions` (rows `data-revision`), `#batches`
/// (rows `data-batch-id`), `#record-findings` (rows `data-finding-id`).
public enum RecordPage {
    /// The page of `record`; `finding` is the finding the analyst came from (marked among the others).
    public static func render(_ record: RecordDrillDown, finding: String?, context: WorkbenchContext) -> String {
        let text = context.text
        let html = DrillDownMarkup.html
        let latest = record.latest.row
        var body = "<section id=\"record\" data-record-id=\"\(html(record.recordID))\">"
        body += "<h1>\(html(text.recordTitle(record.recordID)))</h1>\n"
        body += summary(record, context: context)
        body += DrillDownMarkup.heading("revisions-heading", text.revisions)
        body += DrillDownMarkup.table(
            id: "revisions",
            labelledBy: "revisions-heading",
            columns: [
                text.revision, text.recordStatus, text.flags, text.sourceFeed, text.receivedAt, text.occurredAt,
                text.amounts, text.lines,
            ],
            rows: record.revisions.reversed().map { revisionRow($0, context: context) }
        )
        body += DrillDownMarkup.heading("batches-heading", text.batchesAndReceipts)
        body += batches(record.batches, context: context)
        body += DrillDownMarkup.heading("record-findings-heading", text.findingsOnRecord)
        body += DrillDownFindings.table(
            id: "record-findings",
            labelledBy: "record-findings-heading",
            record.findings,
            current: finding,
            context: context
        )
        body += "<p class=links>" + DrillDownMarkup.link(text.seller + " " + latest.sellerID, sellerURL(latest))
        body += DrillDownMarkup.link(
            text.navSchedule + " " + latest.taxPeriod,
            DrillDownLinks.schedule(platform: latest.platform, period: latest.taxPeriod)
        )
        body += "</p></section>\n"
        return WorkbenchLayout.page(title: text.recordTitle(record.recordID), context: context, body: body)
    }

    private static func sellerURL(_ row: LookupRecordRow) -> String {
        DrillDownLinks.seller(row.sellerID, platform: row.platform)
    }

    /// The latest revision's identity: platform, kind, order, seller, period.
    private static func summary(_ record: RecordDrillDown, context: WorkbenchContext) -> String {
        let text = context.text
        let html = DrillDownMarkup.html
        let row = record.latest.row
        let seller = record.latest.record?.seller
        var list = "<dl class=amounts id=\"record-summary\">"
        func item(_ label: String, _ markup: String) { list += "<dt>\(html(label))</dt><dd>\(markup)</dd>" }
        item(text.platform, html(row.platform))
        item(text.kind, html(row.kind))
        item(text.orderID, "<code>\(html(row.externalID))</code>")
        item(text.period, html(row.taxPeriod))
        item(text.seller, DrillDownMarkup.link(row.sellerID, sellerURL(row), attributes: "id=\"record-seller\""))
        if let seller {
            item(text.sellerName, html(seller.name))
            item(text.taxID, "<code>\(html(seller.nationalID ?? seller.taxCode ?? "—"))</code>")
        }
        return list + "</dl>\n"
    }

    private static func revisionRow(_ revision: RecordDrillDown.Revision, context: WorkbenchContext) -> String {
        let text = context.text
        let html = DrillDownMarkup.html
        let cell = DrillDownMarkup.cell
        let row = revision.row
        var markup = "<tr data-revision=\"\(row.revision)\"\(row.isLatest ? " data-latest=true" : "")>"
        markup += cell(text.revision, "\(row.revision)" + (row.isLatest ? " (\(html(text.latestRevision)))" : ""))
        markup += cell(text.recordStatus, html(row.status))
        let flags =
            row.flags.isEmpty ? html(text.noFlags) : row.flags.map { "<code>\(html($0))</code>" }.joined(separator: " ")
        markup += "<td data-label=\"\(html(text.flags))\" class=flags>\(flags)</td>"
        let feed = "<code data-feed-id=\"\(html(row.feedID))\">\(html(row.feedID))</code>"
        markup += cell(text.sourceFeed, feed + (row.feedSource.map { "<br>" + html($0) } ?? ""))
        markup += cell(text.receivedAt, DrillDownMarkup.time(row.receivedAt, context))
        markup += cell(text.occurredAt, DrillDownMarkup.time(row.occurredAt, context))
        guard let record = revision.record else {
            let problem = "\(html(text.unreadable)) \(html(revision.problem ?? ""))"
            return markup + "<td colspan=2 class=error>\(problem)</td></tr>\n"
        }
        markup += cell(text.amounts, amounts(record, context: context))
        markup += cell(text.lines, lines(record, context: context))
        return markup + "</tr>\n"
    }

    /// The money of a record as labelled đồng.
    private static func amounts(_ record: TransactionRecord, context: WorkbenchContext) -> String {
        let text = context.text
        let figures: [(String, Int64)] = [
            (text.gross, record.amounts.gross),
            (text.sellerDiscount, record.amounts.sellerDiscount),
            (text.platformDiscount, record.amounts.platformDiscount),
            (text.shippingFee, record.amounts.shippingFee),
            (text.buyerPaid, record.amounts.buyerPaid),
            (text.platformFees, record.amounts.platformFees),
            (text.vat, record.withholding.vat),
            (text.pit, record.withholding.pit),
        ]
        let items = figures.map {
            "<dt>\(DrillDownMarkup.html($0.0))</dt><dd>\(DrillDownMarkup.money($0.1, context))</dd>"
        }
        return "<dl class=amounts>" + items.joined() + "</dl>"
    }

    /// The lines of a record: SKU, name, group, quantity, amount.
    private static func lines(_ record: TransactionRecord, context: WorkbenchContext) -> String {
        let text = context.text
        let html = DrillDownMarkup.html
        var list = "<ul class=lines>"
        for line in record.lines {
            list += "<li><code class=sku>\(html(line.sku))</code> \(html(line.name)) · \(html(line.category.rawValue))"
            list += " · \(html(text.quantity)) \(line.quantity) · \(DrillDownMarkup.money(line.amount, context))</li>"
        }
        return list + "</ul>"
    }

    /// The batches that carry the record's revisions, with the receipt's verdict and any rejection.
    private static func batches(_ batches: [RecordBatchRow], context: WorkbenchContext) -> String {
        let text = context.text
        let html = DrillDownMarkup.html
        let cell = DrillDownMarkup.cell
        guard !batches.isEmpty else { return "<p id=\"batches-none\">\(html(text.notBatched))</p>\n" }
        let rows = batches.map { batch in
            var row = "<tr data-batch-id=\"\(html(batch.batchID))\">"
            row += cell(text.revision, "\(batch.revision)")
            row += cell(text.batch, "<code>\(html(batch.batchID))</code>")
            row += cell(text.batchState, html(batch.state))
            row += cell(text.sealedAt, DrillDownMarkup.time(batch.createdAt, context))
            row += cell(text.deliveredAt, batch.deliveredAt.map { DrillDownMarkup.time($0, context) } ?? "—")
            var receipt = html(batch.receiptVerdict ?? text.noReceipt)
            if let at = batch.receiptAt { receipt += " · " + DrillDownMarkup.time(at, context) }
            row += cell(text.receipt, receipt)
            row += cell(text.ministryRejection, batch.rejection.map { "<span class=error>\(html($0))</span>" } ?? "—")
            return row + "</tr>\n"
        }
        return DrillDownMarkup.table(
            id: "batches",
            labelledBy: "batches-heading",
            columns: [
                text.revision, text.batch, text.batchState, text.sealedAt, text.deliveredAt, text.receipt,
                text.ministryRejection,
            ],
            rows: rows
        )
    }
}
