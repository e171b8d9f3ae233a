import Crypto
import Foundation
import GRDB
import TaxLinkCore

/// The record bookkeeping of one write transaction: revisions, duplicates, pending orders, return
/// claims — a chunk at a time, as ``PostgresRecordWriter`` does: one statement looks up the chunk's
/// latest revisions, one takes the latest mark off the revisions that get a successor, and one
/// prepared multi-row statement inserts the new revisions (split only where SQLite's limit on bound
/// values requires it); the orders seen are read and written a chunk at a time too.
///
/// Within a chunk the items count in order, as if stored one by one: a record twice in a chunk is a
/// duplicate the second time, or its next revision.
struct RecordWriter {
    let db: Database
    /// Makes the refund record of a claim that meets its sale.
    let resolver: any ReturnResolving
    /// Whether any return waits for its sale; looked up once per transaction.
    private var pendingClaims: Bool?

    init(db: Database, resolver: any ReturnResolving) {
        self.db = db
        self.resolver = resolver
    }

    /// Stores a chunk of accepted items: records, then return claims (each resolved when its sale is
    /// stored), then the claims waiting for the chunk's sales, then which orders were seen.
    mutating func store(_ items: [IngestItem], feedID: String) throws -> IngestCounts {
        let chunk = IngestChunk(items)
        var counts = try store(chunk.prepared)
        for claim in chunk.claims { counts = counts + (try store(claim)) }
        try resolveClaims(forSales: chunk.prepared.map(\.adapted.record).filter { $0.kind == .sale })
        return counts + (try markSeen(chunk.marks, feedID: feedID))
    }

    /// Stores completed records in order: each as its next revision, or counted as a duplicate when
    /// its content equals the latest revision's.
    mutating func store(_ prepared: [PreparedRecord]) throws -> IngestCounts {
        guard !prepared.isEmpty else { return IngestCounts() }
        let latest = try latestRevisions(of: prepared.map(\.adapted.record.recordID))
        let stored = Set(latest.keys)
        let (rows, counts) = PreparedRecord.revisions(of: prepared, after: latest)
        guard !rows.isEmpty else { return counts }
        let demoting = Set(rows.map(\.prepared.adapted.record.recordID)).intersection(stored)
        if !demoting.isEmpty {
            try db.cachedStatement(
                sql: "UPDATE records SET is_latest = 0 WHERE record_id IN (SELECT value FROM json_each(?)) AND is_latest = 1"
            ).execute(arguments: [Self.jsonArray(demoting.sorted())])
        }
        try SQLiteRecordRows.insert(rows, into: db)
        return counts
    }

    /// The latest revision of each of `recordIDs` that has one, and its content digest, in one statement.
    private func latestRevisions(of recordIDs: [String]) throws -> [String: (revision: Int, content: Data)] {
        let statement = try db.cachedStatement(
            sql: """
                SELECT record_id, revision, content_sha256 FROM records
                WHERE record_id IN (SELECT value FROM json_each(?)) AND is_latest = 1
                """
        )
        var latest: [String: (revision: Int, content: Data)] = [:]
        let rows = try Row.fetchCursor(statement, arguments: [Self.jsonArray(Array(Set(recordIDs)))])
        while let row = try rows.next() { latest[row[0]] = (row[1], row[2]) }
        return latest
    }

    /// Records which orders were seen in which status: one look-up of the counted orders' statuses,
    /// one multi-row upsert of each order's last status in the chunk (once completed, an order stays
    /// completed). Pending orders count as accepted when their status changed, in chunk order, else
    /// as duplicates.
    private func markSeen(_ marks: [SeenMark], feedID: String) throws -> IngestCounts {
        guard !marks.isEmpty else { return IngestCounts() }
        var counts = IngestCounts()
        if marks.contains(where: \.counted) {
            var status = try seenStatuses(Array(Set(marks.map(\.key))))
            for mark in marks {
                if mark.counted {
                    counts = counts + (status[mark.key] != mark.status ? IngestCounts(accepted: 1) : IngestCounts(duplicates: 1))
                }
                status[mark.key] = mark.status
            }
        }
        var last: [SeenMark.Key: (status: String, completed: Bool)] = [:]
        for mark in marks { last[mark.key] = (mark.status, (last[mark.key]?.completed ?? false) || mark.completed) }
        let values: [[any DatabaseValueConvertible]] = last.keys.sorted().map { key in
            [key.platform, key.kind, key.externalID, last[key]?.status ?? "", last[key]?.completed ?? false, feedID]
        }
        try SQLiteMultiRow.execute(
            db,
            prefix: "INSERT INTO orders_seen (platform, kind, external_id, status, completed, feed_id) VALUES",
            suffix: """
                ON CONFLICT (platform, kind, external_id) DO UPDATE SET
                    status = excluded.status, feed_id = excluded.feed_id,
                    completed = MAX(orders_seen.completed, excluded.completed)
                WHERE orders_seen.status IS NOT excluded.status
                """,
            rows: values
        )
        return counts
    }

    private func seenStatuses(_ keys: [SeenMark.Key]) throws -> [SeenMark.Key: String] {
        let pairs = JSONValue.array(keys.map { .array([.string($0.platform), .string($0.kind), .string($0.externalID)]) })
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT o.platform, o.kind, o.external_id, o.status FROM json_each(?) AS k
                    JOIN orders_seen o ON o.platform = json_extract(k.value, '$[0]')
                        AND o.kind = json_extract(k.value, '$[1]') AND o.external_id = json_extract(k.value, '$[2]')
                    """
            ),
            arguments: [CanonicalJSON.string(pairs)]
        )
        var statuses: [SeenMark.Key: String] = [:]
        while let row = try rows.next() {
            statuses[SeenMark.Key(platform: row[0], kind: row[1], externalID: row[2])] = row[3]
        }
        return statuses
    }

    /// Stores a completed return: as a refund record when its sale is known, else as a pending claim.
    mutating func store(_ claim: ReturnClaim) throws -> IngestCounts {
        let body = CanonicalJSON.string(claim.json)
        let content = Data(SHA256.hash(data: Array(claim.jsonWithoutSource.utf8)))
        let existing = try Row.fetchOne(
            db,
            sql: "SELECT content_sha256 FROM return_claims WHERE record_id = ?",
            arguments: [claim.recordID]
        )
        if let existing, (existing[0] as Data) == content { return IngestCounts(duplicates: 1) }
        try db.execute(
            sql: """
                INSERT INTO return_claims (record_id, platform, order_id, content_sha256, body, resolved)
                VALUES (?, ?, ?, ?, ?, 0)
                ON CONFLICT (record_id) DO UPDATE SET
                    order_id = excluded.order_id, content_sha256 = excluded.content_sha256, body = excluded.body,
                    resolved = 0
                """,
            arguments: [claim.recordID, claim.platform, claim.orderID, content, body]
        )
        guard let sale = try latestSale(platform: claim.platform, externalID: claim.orderID) else {
            pendingClaims = true
            return IngestCounts(accepted: 1)
        }
        try db.execute(sql: "UPDATE return_claims SET resolved = 1 WHERE record_id = ?", arguments: [claim.recordID])
        return try store([resolver.refund(for: claim, sale: sale.record, lineItemIDs: sale.itemIDs)])
    }

    /// Turns the pending claims waiting for any of `sales` into refund records (one look-up per chunk).
    mutating func resolveClaims(forSales sales: [TransactionRecord]) throws {
        guard !sales.isEmpty else { return }
        if pendingClaims == nil {
            pendingClaims = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM return_claims WHERE resolved = 0)")
        }
        guard pendingClaims == true else { return }
        let orders = JSONValue.array(sales.map { .array([.string($0.platform), .string($0.externalID)]) })
        let bodies = try Row.fetchAll(
            db,
            sql: """
                SELECT DISTINCT c.record_id, c.body FROM json_each(?) AS s
                JOIN return_claims c ON c.platform = json_extract(s.value, '$[0]')
                    AND c.order_id = json_extract(s.value, '$[1]')
                WHERE c.resolved = 0 ORDER BY c.record_id
                """,
            arguments: [CanonicalJSON.string(orders)]
        ).map { $0[1] as String }
        for body in bodies {
            let claim = try ReturnClaim(json: JSONParser.parse(Array(body.utf8)))
            guard let stored = try latestSale(platform: claim.platform, externalID: claim.orderID) else { continue }
            _ = try store([resolver.refund(for: claim, sale: stored.record, lineItemIDs: stored.itemIDs)])
            try db.execute(sql: "UPDATE return_claims SET resolved = 1 WHERE record_id = ?", arguments: [claim.recordID])
        }
    }

    private func latestSale(platform: String, externalID: String) throws -> (
        record: TransactionRecord, itemIDs: [String: Int]
    )? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: "SELECT body, line_item_ids FROM records WHERE record_id = ? AND is_latest = 1",
                arguments: ["\(platform):sale:\(externalID)"]
            )
        else { return nil }
        let record = try TransactionRecord(json: JSONParser.parse(Array((row[0] as String).utf8)))
        var itemIDs: [String: Int] = [:]
        if let text = row[1] as String?, case .object(let object) = try JSONParser.parse(Array(text.utf8)) {
            for member in object.members {
                if case .number(let literal) = member.value, let index = Int(literal) { itemIDs[member.key] = index }
            }
        }
        return (record, itemIDs)
    }

    /// `values` as a JSON array of strings, for `json_each(?)`.
    static func jsonArray(_ values: [String]) -> String {
        CanonicalJSON.string(.array(values.map { .string($0) }))
    }
}

extension ReturnClaim {
    /// The claim without the feed that carried it: two deliveries of the same return compare equal.
    var jsonWithoutSource: String {
        var copy = self
        copy.source = RecordSource(feedID: "", receivedAt: Timestamp(unixSeconds: 0))
        return CanonicalJSON.string(copy.json)
    }
}
