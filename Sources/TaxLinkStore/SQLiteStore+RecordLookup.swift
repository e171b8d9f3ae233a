import GRDB
import TaxLinkCore

extension SQLiteStore: RecordLookupStorage {
    public func recordRevisions(recordID: String) async throws -> [LookupRecordRow] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "\(LookupRecordRow.columns) WHERE r.record_id = ? ORDER BY r.revision",
                arguments: [recordID]
            ).map(Self.decodeLookupRecord)
        }
    }

    public func recordBatches(recordID: String) async throws -> [RecordBatchRow] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT m.revision, b.id, b.state, b.created_at, b.delivered_at, x.verdict, x.received_at,
                        (SELECT j.code || ': ' || j.message FROM ministry_rejections j
                            WHERE j.batch_id = b.id AND j.record_id = m.record_id)
                    FROM batch_records m JOIN batches b ON b.id = m.batch_id
                    LEFT JOIN batch_receipts x ON x.id = (SELECT MAX(id) FROM batch_receipts WHERE batch_id = b.id)
                    WHERE m.record_id = ? ORDER BY m.revision, b.seq
                    """,
                arguments: [recordID]
            ).map { row in
                RecordBatchRow(
                    revision: row[0],
                    batchID: row[1],
                    state: row[2],
                    createdAt: Timestamp(unixSeconds: row[3]),
                    deliveredAt: (row[4] as Int64?).map(Timestamp.init(unixSeconds:)),
                    receiptVerdict: row[5],
                    receiptAt: (row[6] as Int64?).map(Timestamp.init(unixSeconds:)),
                    rejection: row[7]
                )
            }
        }
    }

    public func recordFindings(recordID: String) async throws -> [FindingRow] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM findings WHERE record_id = ? ORDER BY amount_at_risk DESC, code, id",
                arguments: [recordID]
            ).map(FindingColumns.decode)
        }
    }

    public func sellerRecords(
        sellerID: String,
        platform: String?,
        limit: Int,
        offset: Int
    ) async throws -> LookupRecordPage {
        let (condition, arguments) = Self.sellerCondition(sellerID: sellerID, platform: platform)
        return try await pool.read { db in
            let total =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM records r WHERE \(condition)", arguments: arguments)
                ?? 0
            let rows = try Row.fetchAll(
                db,
                sql: """
                    \(LookupRecordRow.columns) WHERE \(condition)
                    ORDER BY r.occurred_at DESC, r.record_id LIMIT ? OFFSET ?
                    """,
                arguments: arguments + [max(0, limit), max(0, offset)]
            )
            return LookupRecordPage(rows: rows.map(Self.decodeLookupRecord), total: total)
        }
    }

    /// Reads in pages keyed on `record_id`, one short read per page (nothing is held while `body` runs).
    public func forEachSellerRecord(
        sellerID: String,
        platform: String?,
        _ body: (LookupRecordRow) throws -> Void
    ) async throws {
        let (condition, arguments) = Self.sellerCondition(sellerID: sellerID, platform: platform)
        var after = ""
        while true {
            let page = try await pool.read { [after] db in
                try Row.fetchAll(
                    db,
                    sql: "\(LookupRecordRow.columns) WHERE \(condition) AND r.record_id > ? ORDER BY r.record_id LIMIT ?",
                    arguments: arguments + [after, LookupRecordRow.sellerPage]
                ).map(Self.decodeLookupRecord)
            }
            for row in page { try body(row) }
            guard let last = page.last, page.count == LookupRecordRow.sellerPage else { return }
            after = last.recordID
        }
    }

    public func declarationInForce(platform: String, period: TaxPeriod) async throws -> StoredDeclaration? {
        try await pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT version, feed_id, received_at, rows FROM declarations
                        WHERE platform = ? AND tax_period = ? ORDER BY version DESC LIMIT 1
                        """,
                    arguments: [platform, period.description]
                )
            else { return nil }
            return try StoredDeclaration(
                platform: platform,
                period: period,
                version: row[0],
                feedID: row[1],
                receivedAt: row[2],
                rows: row[3]
            )
        }
    }

    public func searchRecords(_ search: RecordSearch, limit: Int) async throws -> [LookupRecordRow] {
        let (condition, arguments): (String, StatementArguments) =
            switch search {
            case .recordID(let id): ("r.record_id = ?", [id])
            case .externalID(let id): ("r.external_id = ?", [id])
            case .taxID(let id):
                ("(instr(r.body, ?) > 0 OR instr(r.body, ?) > 0)", StatementArguments(RecordSearch.sellerIDNeedles(id)))
            }
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "\(LookupRecordRow.columns) WHERE r.is_latest = 1 AND \(condition) ORDER BY r.record_id LIMIT ?",
                arguments: arguments + [max(0, limit)]
            ).map(Self.decodeLookupRecord)
        }
    }

    /// The latest revisions of a seller's records (on one platform when given).
    private static func sellerCondition(sellerID: String, platform: String?) -> (String, StatementArguments) {
        guard let platform else { return ("r.seller_id = ? AND r.is_latest = 1", [sellerID]) }
        return ("r.seller_id = ? AND r.is_latest = 1 AND r.platform = ?", [sellerID, platform])
    }

    /// A row of ``LookupRecordRow/columns``.
    private static func decodeLookupRecord(_ row: Row) -> LookupRecordRow {
        LookupRecordRow(
            recordID: row[0],
            revision: row[1],
            platform: row[2],
            kind: row[3],
            externalID: row[4],
            sellerID: row[5],
            taxPeriod: row[6],
            occurredAt: Timestamp(unixSeconds: row[7]),
            receivedAt: Timestamp(unixSeconds: row[8]),
            feedID: row[9],
            feedSource: row[10],
            status: row[11],
            flags: LookupRecordRow.flags(row[12]),
            isLatest: row[13],
            body: row[14]
        )
    }
}
