import Crypto
import Foundation
import GRDB
import TaxLinkCore

extension SQLiteStore {
    public func forEachRecord(_ query: RecordQuery, _ body: (StoredRecord) throws -> Void) async throws {
        var conditions = ["(record_id > ? OR (record_id = ? AND revision > ?))"]
        var filters: StatementArguments = []
        if !query.allRevisions { conditions.append("is_latest = 1") }
        if let platform = query.platform {
            conditions.append("platform = ?")
            filters += [platform]
        }
        if let period = query.period {
            conditions.append("tax_period = ?")
            filters += [period.description]
        }
        let sql = """
            SELECT record_id, revision, body, status FROM records WHERE \(conditions.joined(separator: " AND "))
            ORDER BY record_id, revision LIMIT 2000
            """
        var after = ("", 0)
        while true {
            let arguments: StatementArguments = [after.0, after.0, after.1] + filters
            let page = try await pool.read { db in
                try Row.fetchAll(db, sql: sql, arguments: arguments).map {
                    StoredRecord(
                        recordID: $0[0],
                        revision: $0[1],
                        body: $0[2],
                        quarantined: ($0[3] as String) == "quarantined"
                    )
                }
            }
            for record in page { try body(record) }
            guard let last = page.last, page.count == 2000 else { return }
            after = (last.recordID, last.revision)
        }
    }
}

/// The record bookkeeping of one write transaction: revisions, duplicates, return claims.
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

    /// Stores a completed record as its next revision, or counts it as a duplicate.
    mutating func store(_ prepared: PreparedRecord) throws -> IngestCounts {
        let adapted = prepared.adapted
        var record = adapted.record
        let content = prepared.contentSHA256
        let latest = try Row.fetchOne(
            try db.cachedStatement(
                sql: "SELECT revision, content_sha256 FROM records WHERE record_id = ? AND is_latest = 1"
            ),
            arguments: [record.recordID]
        )
        if let latest, (latest[1] as Data) == content { return IngestCounts(duplicates: 1) }
        let previous = latest?[0] as Int?
        record.revision = (previous ?? 0) + 1
        if previous != nil {
            try db.cachedStatement(sql: "UPDATE records SET is_latest = 0 WHERE record_id = ? AND is_latest = 1")
                .execute(arguments: [record.recordID])
        }
        let itemIDs =
            adapted.lineItemIDs.isEmpty
            ? nil
            : CanonicalJSON.string(
                .object(
                    JSONObject(
                        adapted.lineItemIDs.sorted { $0.key < $1.key }.map {
                            (key: $0.key, value: JSONValue.int($0.value))
                        }
                    )
                )
            )
        try db.cachedStatement(
            sql: """
                INSERT INTO records (record_id, revision, platform, kind, external_id, original_external_id, seller_id,
                    tax_period, occurred_at, received_at, feed_id, status, flags, content_sha256, source_difference, cod,
                    line_item_ids, body, is_latest)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
                """
        ).execute(arguments: [
            record.recordID, record.revision, record.platform, record.kind.rawValue, record.externalID,
            record.originalExternalID, record.seller.platformSellerID, record.taxPeriod.description,
            record.occurredAt.seconds, record.source.receivedAt.seconds, record.source.feedID,
            record.isQuarantined ? "quarantined" : "ready", record.flags.map(\.rawValue).joined(separator: ","),
            content, adapted.sourceDifference, adapted.cashOnDelivery, itemIDs,
            prepared.body(revision: record.revision),
        ])
        return IngestCounts(accepted: 1, revised: previous == nil ? 0 : 1)
    }

    /// Records that an order (or return) was seen, in which status; `false` when nothing changed.
    @discardableResult
    func markSeen(
        platform: String,
        externalID: String,
        kind: RecordKind,
        status: String,
        completed: Bool,
        feedID: String
    ) throws -> Bool {
        try db.cachedStatement(
            sql: """
                INSERT INTO orders_seen (platform, kind, external_id, status, completed, feed_id) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (platform, kind, external_id) DO UPDATE SET
                    status = excluded.status, feed_id = excluded.feed_id,
                    completed = MAX(orders_seen.completed, excluded.completed)
                WHERE orders_seen.status IS NOT excluded.status
                """
        ).execute(arguments: [platform, kind.rawValue, externalID, status, completed, feedID])
        return db.changesCount > 0
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
        return try store(resolver.refund(for: claim, sale: sale.record, lineItemIDs: sale.itemIDs))
    }

    /// Turns the pending claims waiting for `sale` into refund records.
    mutating func resolveClaims(for sale: TransactionRecord) throws {
        if pendingClaims == nil {
            pendingClaims = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM return_claims WHERE resolved = 0)")
        }
        guard pendingClaims == true else { return }
        let bodies = try String.fetchAll(
            db,
            sql: "SELECT body FROM return_claims WHERE platform = ? AND order_id = ? AND resolved = 0",
            arguments: [sale.platform, sale.externalID]
        )
        guard !bodies.isEmpty, let stored = try latestSale(platform: sale.platform, externalID: sale.externalID) else {
            return
        }
        for body in bodies {
            let claim = try ReturnClaim(json: JSONParser.parse(Array(body.utf8)))
            _ = try store(resolver.refund(for: claim, sale: stored.record, lineItemIDs: stored.itemIDs))
            try db.execute(
                sql: "UPDATE return_claims SET resolved = 1 WHERE record_id = ?",
                arguments: [claim.recordID]
            )
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
}

extension ReturnClaim {
    /// The claim without the feed that carried it: two deliveries of the same return compare equal.
    var jsonWithoutSource: String {
        var copy = self
        copy.source = RecordSource(feedID: "", receivedAt: Timestamp(unixSeconds: 0))
        return CanonicalJSON.string(copy.json)
    }
}
