import TaxLinkCore

extension FeedSummary {
    /// `{"feed_id", "received", "accepted", "duplicates", "revised", "ignored", "rejected": [...]}`.
    public var json: JSONValue {
        .object([
            "feed_id": .string(feedID),
            "received": .int(received),
            "accepted": .int(accepted),
            "duplicates": .int(duplicates),
            "revised": .int(revised),
            "ignored": .int(ignored),
            "rejected": .array(
                rejected.map { item in
                    var members: [(key: String, value: JSONValue)] = []
                    if let index = item.index { members.append((key: "index", value: .int(index))) }
                    if let line = item.line { members.append((key: "line", value: .int(line))) }
                    members.append((key: "external_id", value: .optional(item.externalID)))
                    members.append((key: "reason", value: .string(item.reason)))
                    return .object(JSONObject(members))
                }),
        ])
    }

    /// Reads a summary written by ``json``.
    public init(json: JSONValue) throws {
        func int(_ key: String) -> Int { json[key].flatMap { if case .number(let n) = $0 { Int(n) } else { nil } } ?? 0 }
        let rejected = (json["rejected"]?.arrayValue ?? []).map { item in
            Rejected(
                index: item["index"].flatMap { if case .number(let n) = $0 { Int(n) } else { nil } },
                line: item["line"].flatMap { if case .number(let n) = $0 { Int(n) } else { nil } },
                externalID: item["external_id"]?.stringValue, reason: item["reason"]?.stringValue ?? "")
        }
        self.init(
            feedID: json["feed_id"]?.stringValue ?? "", received: int("received"), accepted: int("accepted"),
            duplicates: int("duplicates"), revised: int("revised"), ignored: int("ignored"), rejected: rejected)
    }
}

extension Declaration {
    /// The rows as stored.
    public var rowsJSON: JSONValue {
        .array(
            rows.map {
                .object([
                    "platform_seller_id": .string($0.platformSellerID),
                    "seller_name": .string($0.sellerName),
                    "tax_id": .optional($0.taxID),
                    "resident": .bool($0.resident),
                    "category": .string($0.group.rawValue),
                    "revenue": .int($0.revenue),
                    "vat": .int($0.vat),
                    "pit": .int($0.pit),
                ])
            })
    }
}
