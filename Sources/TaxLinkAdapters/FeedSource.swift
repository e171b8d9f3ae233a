import TaxLinkCore

/// Which adapter reads a feed: the push path (`shopee/orders`, `tiki/orders`, `lazada/declarations`,
/// `vnpay/settlements`) and the body's format.
public enum FeedSource: Sendable, Hashable, CustomStringConvertible {
    /// JSON (or NDJSON) orders or returns of a platform with its own adapter.
    case platformJSON(platform: String, kind: String)
    /// Orders in the generic CSV.
    case genericCSV(platform: String)
    /// A platform's withholding declaration.
    case declarations(platform: String)
    /// A gateway's settlement file.
    case settlements(gateway: String)

    /// The body format a feed arrives in.
    public enum BodyFormat: Sendable, Hashable {
        case json
        case ndjson
        case csv
    }

    /// Resolves a source path and a body format. `csv` on an orders path picks the generic CSV.
    public init(path: String, format: BodyFormat) throws(FeedError) {
        let parts = path.split(separator: "/").map { String($0).lowercased() }
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= RecordLimits.maximumIdentifierLength,
            parts[0].allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" })
        else { throw .unknownSource(path) }
        let (name, kind) = (parts[0], parts[1])
        switch kind {
        case "orders" where format == .csv:
            self = .genericCSV(platform: name)
        case "orders", "returns":
            guard Self.jsonAdapters[name]?[kind] != nil else {
                throw format == .csv ? .unknownSource(path) : .unsupportedFormat(
                    "\(path) takes the generic CSV (text/csv); only shopee, lazada and tiktokshop push JSON")
            }
            self = .platformJSON(platform: name, kind: kind)
        case "declarations":
            guard format == .json else { throw .unsupportedFormat("declarations are JSON") }
            self = .declarations(platform: name)
        case "settlements":
            guard name == "vnpay" else { throw .unknownSource(path) }
            guard format == .csv else { throw .unsupportedFormat("settlements are CSV (text/csv)") }
            self = .settlements(gateway: name)
        default:
            throw .unknownSource(path)
        }
    }

    private static let jsonAdapters: [String: [String: any JSONItemAdapter]] = [
        "shopee": ["orders": ShopeeOrdersAdapter(), "returns": ShopeeReturnsAdapter()],
        "lazada": ["orders": LazadaOrdersAdapter()],
        "tiktokshop": ["orders": TikTokShopOrdersAdapter()],
    ]

    /// The JSON item adapter of a `platformJSON` source.
    public var jsonAdapter: (any JSONItemAdapter)? {
        if case .platformJSON(let platform, let kind) = self { return Self.jsonAdapters[platform]?[kind] }
        return nil
    }

    /// The platform or gateway name.
    public var name: String {
        switch self {
        case .platformJSON(let name, _), .genericCSV(let name), .declarations(let name), .settlements(let name): name
        }
    }

    /// `platform/kind`, as in the push path.
    public var description: String {
        switch self {
        case .platformJSON(let platform, let kind): "\(platform)/\(kind)"
        case .genericCSV(let platform): "\(platform)/orders"
        case .declarations(let platform): "\(platform)/declarations"
        case .settlements(let gateway): "\(gateway)/settlements"
        }
    }
}
