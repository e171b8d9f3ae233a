import TaxLinkCore
import TaxLinkStore

/// A search of the drill-down by order id, record id or tax id: the records whose id or order id is the
/// text exactly, and the sellers whose records carry the tax id the text normalises to.
public struct DrillDownSearch: Sendable {
    /// A seller found by tax id.
    public struct SellerHit: Sendable, Hashable {
        /// The platform.
        public var platform: String
        /// The seller's id on the platform.
        public var sellerID: String
        /// The seller's name on its latest record found.
        public var sellerName: String
        /// How many of its records were found (at most the search's limit in all).
        public var records: Int
    }

    /// What a search with a single result leads to.
    public enum Hit: Sendable, Hashable {
        /// One record.
        case record(String)
        /// One seller on one platform.
        case seller(String, platform: String)
    }

    /// The longest text searched for: ids are short, and a longer text is a mistake.
    public static let maximumLength = 200

    /// The text searched for, trimmed.
    public var text: String
    /// The records found by record id or order id, in record id order.
    public var records: [LookupRecordRow]
    /// The sellers found by tax id, by platform then seller id.
    public var sellers: [SellerHit]
    /// The tax id searched for, when the text is one.
    public var taxID: String?
    /// Whether a look-up returned as many rows as it may (more may exist).
    public var truncated: Bool

    /// The one hit, when the search found exactly one record and no seller, or one seller and no record.
    public var onlyHit: Hit? {
        if records.count == 1, sellers.isEmpty, let record = records.first { return .record(record.recordID) }
        if records.isEmpty, sellers.count == 1, let seller = sellers.first {
            return .seller(seller.sellerID, platform: seller.platform)
        }
        return nil
    }

    /// Searches for `text` (trimmed; at most ``maximumLength`` characters, else nothing is looked up),
    /// each look-up bounded by `limit`.
    public static func run(_ text: String, lookup: any RecordLookupStorage, limit: Int = 50) async throws
        -> DrillDownSearch
    {
        let trimmed = text.trimmingWhitespace()
        var search = DrillDownSearch(text: trimmed, records: [], sellers: [], taxID: nil, truncated: false)
        guard !trimmed.isEmpty, trimmed.count <= maximumLength else { return search }
        var found: [String: LookupRecordRow] = [:]
        var searches: [RecordSearch] = [.externalID(trimmed)]
        if trimmed.contains(":") { searches.insert(.recordID(trimmed), at: 0) }
        for term in searches {
            let rows = try await lookup.searchRecords(term, limit: limit)
            search.truncated = search.truncated || rows.count >= limit
            for row in rows { found[row.recordID] = row }
        }
        search.records = found.values.sorted { $0.recordID < $1.recordID }
        switch TaxIdentity(raw: trimmed) {
        case .taxCode(let id), .nationalID(let id):
            search.taxID = id
            let rows = try await lookup.searchRecords(.taxID(id), limit: limit)
            search.truncated = search.truncated || rows.count >= limit
            search.sellers = sellers(of: rows)
        case .missing, .invalid: break
        }
        return search
    }

    /// The sellers of `rows`, each with its name on the latest of its rows found.
    private static func sellers(of rows: [LookupRecordRow]) -> [SellerHit] {
        var hits: [String: (hit: SellerHit, latest: Int64)] = [:]
        for row in rows {
            let key = row.platform + "\u{0}" + row.sellerID
            let empty = SellerHit(platform: row.platform, sellerID: row.sellerID, sellerName: "", records: 0)
            var entry = hits[key] ?? (empty, Int64.min)
            entry.hit.records += 1
            if row.occurredAt.seconds >= entry.latest {
                let record = try? TransactionRecord(json: JSONParser.parse(Array(row.body.utf8)))
                entry.hit.sellerName = record?.seller.name ?? ""
                entry.latest = row.occurredAt.seconds
            }
            hits[key] = entry
        }
        return hits.values.map(\.hit).sorted { ($0.platform, $0.sellerID) < ($1.platform, $1.sellerID) }
    }
}
