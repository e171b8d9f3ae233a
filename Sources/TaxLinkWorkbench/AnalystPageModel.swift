import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore

/// What the findings page shows: the filtered, paged findings with their history, the totals of
/// everything filtered, and what the page must say about the filters (an unknown platform or period,
/// a page size over the cap).
public struct AnalystPageModel: Sendable {
    /// The rows a page shows when the URL does not say.
    public static let defaultLimit = 100
    /// The most rows a page shows, whatever the URL asks (the CSV export has every row).
    public static let maximumLimit = 200

    /// The page's language, person and CSRF token.
    public var context: WorkbenchContext
    /// The filters, order and page shown (its `limit` within ``maximumLimit``).
    public var query: FindingQuery
    /// The page size the URL asked for, when it was over ``maximumLimit``.
    public var cappedLimit: Int?
    /// The findings of the page.
    public var page: FindingPage
    /// The history of each finding on the page.
    public var history: [String: [FindingHistoryEntry]]
    /// The totals of the filtered findings per code.
    public var byCode: [FindingTotal]
    /// The totals per platform.
    public var byPlatform: [FindingTotal]
    /// The totals per tax period.
    public var byPeriod: [FindingTotal]
    /// The platforms with findings, when the platform filtered on has none (it is unknown).
    public var unknownPlatform: [String]?
    /// The periods with findings, when the period filtered on has none (it is unknown).
    public var unknownPeriod: [String]?

    /// Every field, as named.
    public init(
        context: WorkbenchContext,
        query: FindingQuery,
        cappedLimit: Int? = nil,
        page: FindingPage,
        history: [String: [FindingHistoryEntry]],
        byCode: [FindingTotal],
        byPlatform: [FindingTotal],
        byPeriod: [FindingTotal],
        unknownPlatform: [String]? = nil,
        unknownPeriod: [String]? = nil
    ) {
        self.context = context
        self.query = query
        self.cappedLimit = cappedLimit
        self.page = page
        self.history = history
        self.byCode = byCode
        self.byPlatform = byPlatform
        self.byPeriod = byPeriod
        self.unknownPlatform = unknownPlatform
        self.unknownPeriod = unknownPeriod
    }

    /// The page of the URL query `parameters`: throws ``ReconcileError`` (invalid argument) naming a
    /// malformed filter. A `limit` over ``maximumLimit`` is capped (and the page says so).
    public static func load(
        storage: any FindingsStorage,
        parameters: [String: String],
        context: WorkbenchContext
    ) async throws -> AnalystPageModel {
        var query = try FindingQuery(parameters: parameters)
        let asked = query.limit ?? defaultLimit
        query.limit = min(max(asked, 1), maximumLimit)
        var totalsQuery = query
        totalsQuery.limit = nil
        totalsQuery.offset = 0
        let page = try await storage.findings(query)
        var model = AnalystPageModel(
            context: context,
            query: query,
            cappedLimit: asked > maximumLimit ? asked : nil,
            page: page,
            history: try await storage.findingHistory(ids: page.findings.map(\.content.id)),
            byCode: try await storage.findingTotals(totalsQuery, by: .code),
            byPlatform: try await storage.findingTotals(totalsQuery, by: .platform),
            byPeriod: try await storage.findingTotals(totalsQuery, by: .period)
        )
        if page.total == 0 {
            model.unknownPlatform = try await unknown(query.platform, .platform, storage)
            model.unknownPeriod = try await unknown(query.period, .period, storage)
        }
        return model
    }

    /// The values of `dimension` among all findings when `value` is not one of them, else `nil`.
    private static func unknown(
        _ value: String?,
        _ dimension: FindingDimension,
        _ storage: any FindingsStorage
    ) async throws -> [String]? {
        guard let value else { return nil }
        let known = try await storage.findingTotals(FindingQuery(), by: dimension).compactMap(\.key).sorted()
        return known.contains(value) ? nil : known
    }
}
