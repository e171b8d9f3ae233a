import GRDB
import TaxLinkCore

extension SQLiteStore {
    public func beginFeed(_ feed: NewFeed) async throws -> String {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO feeds (id, source, received_at, status) VALUES ('', ?, ?, 'receiving')",
                arguments: [feed.source, feed.receivedAt.seconds])
            let sequence = db.lastInsertedRowID
            let id = "f-\(String(sequence).leftPadded(to: 6))"
            try db.execute(sql: "UPDATE feeds SET id = ? WHERE seq = ?", arguments: [id, sequence])
            return id
        }
    }

    public func finishFeed(_ feedID: String, summary: FeedSummary, bodySHA256: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE feeds SET status = 'complete', summary = ?, body_sha256 = ? WHERE id = ?",
                arguments: [CanonicalJSON.string(summary.json), bodySHA256, feedID])
        }
    }

    public func feedSummary(_ feedID: String) async throws -> FeedSummary? {
        let text = try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT summary FROM feeds WHERE id = ? AND status = 'complete'", arguments: [feedID])
        }
        guard let text else { return nil }
        return try FeedSummary(json: JSONParser.parse(Array(text.utf8)))
    }

    public func storeSettlements(_ settlements: [Settlement], feedID: String) async throws -> IngestCounts {
        try await pool.write { db in
            var counts = IngestCounts()
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO settlements (gateway, transaction_no, reference, platform, order_id, amount, paid_at,
                        bank_code, feed_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                    """)
            for settlement in settlements {
                try insert.execute(arguments: [
                    settlement.gateway, settlement.transactionNo, settlement.reference, settlement.platform,
                    settlement.orderID, settlement.amount, settlement.paidAt.seconds, settlement.bankCode, feedID,
                ])
                if db.changesCount > 0 { counts.accepted += 1 } else { counts.duplicates += 1 }
            }
            return counts
        }
    }

    public func storeDeclaration(
        _ declaration: Declaration, feedID: String, receivedAt: Timestamp
    ) async throws -> IngestCounts {
        let rows = CanonicalJSON.string(declaration.rowsJSON)
        return try await pool.write { db in
            let latest = try Row.fetchOne(
                db,
                sql: """
                    SELECT version, rows FROM declarations WHERE platform = ? AND tax_period = ?
                    ORDER BY version DESC LIMIT 1
                    """,
                arguments: [declaration.platform, declaration.period.description])
            if let latest, latest["rows"] as String == rows {
                return IngestCounts(duplicates: declaration.rows.count)
            }
            let version = (latest?["version"] as Int? ?? 0) + 1
            try db.execute(
                sql: "INSERT INTO declarations (platform, tax_period, version, feed_id, received_at, rows) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [declaration.platform, declaration.period.description, version, feedID, receivedAt.seconds, rows])
            return IngestCounts(accepted: declaration.rows.count, revised: version > 1 ? declaration.rows.count : 0)
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
