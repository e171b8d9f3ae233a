import Foundation
import HTTPTypes
import Hummingbird
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore
import TaxLinkWorkbench

/// The workbench's drill-down, for a signed-in analyst (``WorkbenchSessions/signedIn(_:)``):
///
/// - `GET /analyst/records/{recordID}[?finding=]`: the record view (``RecordPage``).
/// - `GET /analyst/sellers/{sellerID}[?platform=&offset=]`: the seller view (``SellerPage``).
/// - `GET /analyst/search?q=`: search by order id, record id or tax id; a single hit answers `303` to it.
/// - `GET /analyst/schedule?platform=&period=`: the schedule beside the declaration (``SchedulePage``);
///   with `format=xml|csv|json`, the computed schedule as a file.
///
/// Ids in the path are percent-decoded. An unknown record or seller is a 404 workbench page with a way
/// back; a malformed parameter a 400 page.
struct WorkbenchDrillDownRoutes<Context: RequestContext>: Sendable {
    let findings: any FindingsStorage
    let lookup: any RecordLookupStorage
    let sessions: WorkbenchSessions

    /// How many records the seller view shows per page, and how many results a search look-up returns.
    static var pageSize: Int { 50 }

    func register(on router: Router<Context>) {
        router.get("/analyst/records/:recordID") { request, context in
            let page = try await sessions.signedIn(request).context(for: request)
            let parameters = try AnalystForm.query(request.uri.query)
            guard let id = Self.pathID(context.parameters.get("recordID")),
                let record = try await RecordDrillDown.load(recordID: id, lookup: lookup)
            else {
                let id = Self.pathID(context.parameters.get("recordID")) ?? ""
                return Self.errorPage(.notFound, page.text.unknownRecord(id), context: page)
            }
            return WorkbenchResponse.html(
                RecordPage.render(record, finding: parameters["finding"], context: page),
                status: .ok
            )
        }
        router.get("/analyst/sellers/:sellerID") { request, context in
            let page = try await sessions.signedIn(request).context(for: request)
            let parameters = try AnalystForm.query(request.uri.query)
            let sellerID = Self.pathID(context.parameters.get("sellerID")) ?? ""
            let platform = parameters["platform"].flatMap { $0.isEmpty ? nil : $0.lowercased() }
            guard let offset = Self.offset(parameters["offset"]) else {
                return Self.errorPage(.badRequest, page.text.badOffset, context: page)
            }
            let model = try await sellerModel(sellerID, platform: platform, offset: offset)
            guard !sellerID.isEmpty, !model.isUnknown else {
                return Self.errorPage(.notFound, page.text.unknownSeller(sellerID), context: page)
            }
            return WorkbenchResponse.html(SellerPage.render(model, context: page), status: .ok)
        }
        router.get("/analyst/search") { request, _ in
            let page = try await sessions.signedIn(request).context(for: request)
            let parameters = try AnalystForm.query(request.uri.query)
            guard let text = parameters["q"], !text.trimmingWhitespace().isEmpty else {
                return WorkbenchResponse.html(SearchPage.render(nil, context: page, limit: Self.pageSize), status: .ok)
            }
            guard text.count <= DrillDownSearch.maximumLength else {
                let message = page.text.searchTooLong(DrillDownSearch.maximumLength)
                return Self.errorPage(.badRequest, message, context: page, back: "/analyst/search")
            }
            let search = try await DrillDownSearch.run(text, lookup: lookup, limit: Self.pageSize)
            switch search.onlyHit {
            case .record(let id):
                return Response(status: .seeOther, headers: [.location: DrillDownLinks.record(id)])
            case .seller(let id, let platform):
                return Response(status: .seeOther, headers: [.location: DrillDownLinks.seller(id, platform: platform)])
            case nil:
                return WorkbenchResponse.html(
                    SearchPage.render(search, context: page, limit: Self.pageSize),
                    status: .ok
                )
            }
        }
        router.get("/analyst/schedule") { request, _ in try await schedule(request) }
    }

    /// The schedule page, or with `format` one of its files (as before the page existed).
    private func schedule(_ request: Request) async throws -> Response {
        let page = try await sessions.signedIn(request).context(for: request)
        let parameters = try AnalystForm.query(request.uri.query)
        let platform = parameters["platform"]?.lowercased() ?? ""
        let periodText = parameters["period"] ?? ""
        if let formatText = parameters["format"] {
            guard let format = ScheduleFormat(rawValue: formatText.lowercased()) else {
                throw RequestError.invalidParameter("format", "expected json, csv or xml")
            }
            guard !platform.isEmpty, let period = TaxPeriod(periodText) else {
                throw RequestError(.invalidParameter, "platform and period (YYYY-MM) are required")
            }
            let schedule = try await PeriodSchedule.compute(storage: findings, platform: platform, period: period)
            return Response(
                status: .ok,
                headers: [.contentType: format.contentType, WorkbenchResponse.referrerPolicy: "no-referrer"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: schedule.render(format)))
            )
        }
        if platform.isEmpty, periodText.isEmpty {
            return WorkbenchResponse.html(SchedulePage.form(platform: nil, period: nil, context: page), status: .ok)
        }
        guard !platform.isEmpty, let period = TaxPeriod(periodText) else {
            let back = WorkbenchFormat.url("/analyst/schedule", [])
            return Self.errorPage(.badRequest, page.text.platformAndPeriodRequired, context: page, back: back)
        }
        let comparison = try await ScheduleComparison.compute(
            storage: findings,
            lookup: lookup,
            platform: platform,
            period: period
        )
        return WorkbenchResponse.html(SchedulePage.render(comparison, context: page), status: .ok)
    }

    private func sellerModel(_ sellerID: String, platform: String?, offset: Int) async throws -> SellerPageModel {
        var query = FindingQuery()
        query.seller = sellerID
        query.platform = platform
        query.limit = Self.pageSize
        return SellerPageModel(
            sellerID: sellerID,
            platform: platform,
            records: try await lookup.sellerRecords(
                sellerID: sellerID,
                platform: platform,
                limit: Self.pageSize,
                offset: offset
            ),
            offset: offset,
            limit: Self.pageSize,
            figures: try await SellerPeriodFigures.compute(sellerID: sellerID, platform: platform, lookup: lookup),
            findings: try await findings.findings(query)
        )
    }

    /// A path parameter percent-decoded; `nil` when missing, not valid percent-encoding, or holding a
    /// control character (no id has one, and a NUL would cut a value short in SQLite).
    static func pathID(_ raw: String?) -> String? {
        guard let raw, let decoded = raw.removingPercentEncoding, !decoded.isEmpty,
            !decoded.unicodeScalars.contains(where: RecordLimits.isControl)
        else { return nil }
        return decoded
    }

    /// `offset` as a page start: absent is 0; anything but a non-negative integer is `nil`.
    static func offset(_ text: String?) -> Int? {
        guard let text else { return 0 }
        guard let value = Int(text), value >= 0 else { return nil }
        return value
    }

    /// A workbench error page with a link back (to the findings list unless `back` is given).
    static func errorPage(
        _ status: HTTPResponse.Status,
        _ message: String,
        context: WorkbenchContext,
        back: String = "/analyst"
    ) -> Response {
        WorkbenchResponse.html(
            WorkbenchLayout.errorPage(status: status.code, message: message, back: back, context: context),
            status: status
        )
    }
}
