import TaxLinkCore

extension FeedSummary {
    /// `{"feed_id", "received", "accepted", "duplicates", "revised", "ignored", "rejected": [...],
    /// "rejected_total", "rejected_truncated"}`: `rejected` names the first rejections, the totals count all.
    public var json: JSONValue {
        .object([
            "feed_id": .string(feedID),
            "received": .int(received),
            "accepted": .int(accepted),
            "duplicates": .int(duplicates),
            "revised": .int(revised),
            "ignored": .int(ignored),
            "rejected": .array(rejected.map(\.json)),
            "rejected_total": .int(rejectedTotal),
            "rejected_truncated": .bool(rejectedTruncated),
        ])
    }
}

extension FeedSummary.Rejected {
    /// `{"index" or "line", "external_id", "reason"}`, the reason prefixed with its code.
    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        if let index { members.append((key: "index", value: .int(index))) }
        if let line { members.append((key: "line", value: .int(line))) }
        members.append((key: "external_id", value: .optional(externalID)))
        members.append((key: "reason", value: .string(text)))
        return .object(JSONObject(members))
    }
}

extension StoredFeed {
    /// `{"feed_id", "source", "received_at", "status", "body_sha256"}` and, once complete, the
    /// summary's members.
    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            (key: "feed_id", value: .string(id)),
            (key: "source", value: .string(source)),
            (key: "received_at", value: .string(receivedAt.iso8601)),
            (key: "status", value: .string(status.rawValue)),
            (key: "body_sha256", value: .optional(bodySHA256)),
        ]
        if case .object(let summary) = summary?.json {
            members += summary.members.filter { $0.key != "feed_id" }
        }
        return .object(JSONObject(members))
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
            }
        )
    }
}
