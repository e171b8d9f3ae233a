import PostgresNIO
import TaxLinkCore

/// That an order (or a return) was seen in a status: a completed record or claim, or a pending
/// order (whose change is counted: accepted when its status changed, else a duplicate).
struct SeenMark: Sendable {
    struct Key: Hashable, Comparable, Sendable {
        let platform: String
        let kind: String
        let externalID: String

        static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.platform, lhs.kind, lhs.externalID) < (rhs.platform, rhs.kind, rhs.externalID)
        }
    }

    let key: Key
    let status: String
    let completed: Bool
    /// Whether the mark is an item of its own (a pending order), counted.
    let counted: Bool

    init(
        _ platform: String,
        _ kind: RecordKind,
        _ externalID: String,
        _ status: String,
        completed: Bool,
        counted: Bool = false
    ) {
        key = Key(platform: platform, kind: kind.rawValue, externalID: externalID)
        self.status = status
        self.completed = completed
        self.counted = counted
    }
}

extension PostgresRecordWriter {
    /// Records which orders were seen in which status, in one statement (the last status of each
    /// order in the chunk; once completed, an order stays completed). Pending orders count as
    /// accepted when their status changed, in chunk order, else as duplicates.
    func markSeen(_ marks: [SeenMark]) async throws -> IngestCounts {
        guard !marks.isEmpty else { return IngestCounts() }
        var counts = IngestCounts()
        if marks.contains(where: \.counted) {
            var status = try await seenStatuses(Array(Set(marks.map(\.key))))
            for mark in marks {
                let changed = status[mark.key] != mark.status
                if mark.counted {
                    counts = counts + (changed ? IngestCounts(accepted: 1) : IngestCounts(duplicates: 1))
                }
                status[mark.key] = mark.status
            }
        }
        var last: [SeenMark.Key: (status: String, completed: Bool)] = [:]
        for mark in marks { last[mark.key] = (mark.status, (last[mark.key]?.completed ?? false) || mark.completed) }
        let keys = last.keys.sorted()
        try await connection.queryOnOpen(
            """
            INSERT INTO orders_seen (platform, kind, external_id, status, completed, feed_id)
            SELECT platform, kind, external_id, status, completed, \(feedID)
            FROM unnest(\(keys.map(\.platform))::text[], \(keys.map(\.kind))::text[], \(keys.map(\.externalID))::text[],
                \(keys.map { last[$0]?.status ?? "" })::text[], \(keys.map { last[$0]?.completed ?? false })::boolean[])
                AS s(platform, kind, external_id, status, completed)
            ON CONFLICT (platform, kind, external_id) DO UPDATE SET
                status = excluded.status, feed_id = excluded.feed_id,
                completed = orders_seen.completed OR excluded.completed
            WHERE orders_seen.status IS DISTINCT FROM excluded.status
            """,
            logger: logger
        )
        return counts
    }

    private func seenStatuses(_ keys: [SeenMark.Key]) async throws -> [SeenMark.Key: String] {
        let rows = try await connection.queryOnOpen(
            """
            SELECT o.platform, o.kind, o.external_id, o.status FROM orders_seen o
            JOIN unnest(\(keys.map(\.platform))::text[], \(keys.map(\.kind))::text[], \(keys.map(\.externalID))::text[])
                AS k(platform, kind, external_id)
                ON o.platform = k.platform AND o.kind = k.kind AND o.external_id = k.external_id
            """,
            logger: logger
        )
        var statuses: [SeenMark.Key: String] = [:]
        for try await (platform, kind, externalID, status) in rows.decode((String, String, String, String).self) {
            statuses[SeenMark.Key(platform: platform, kind: kind, externalID: externalID)] = status
        }
        return statuses
    }
}
