import PostgresNIO
import TaxLinkCore

extension PostgresStore: RecordLookupStorage {
    public func recordRevisions(recordID: String) async throws -> [LookupRecordRow] {
        var query = PostgresQuery(unsafeSQL: "\(LookupRecordRow.columns) WHERE r.record_id = $1 ORDER BY r.revision")
        query.binds.append(recordID)
        return try await lookupRecords(query)
    }

    public func recordBatches(recordID: String) async throws -> [RecordBatchRow] {
        try await withConnection { connection in
            let rows = try await connection.queryOnOpen(
                """
                SELECT m.revision, b.id, b.state, b.created_at, b.delivered_at, x.verdict, x.received_at,
                    (SELECT j.code || ': ' || j.message FROM ministry_rejections j
                        WHERE j.batch_id = b.id AND j.record_id = m.record_id)
                FROM batch_records m JOIN batches b ON b.id = m.batch_id
                LEFT JOIN LATERAL (
                    SELECT verdict, received_at FROM batch_receipts WHERE batch_id = b.id ORDER BY id DESC LIMIT 1
                ) x ON true
                WHERE m.record_id = \(recordID) ORDER BY m.revision, b.seq
                """,
                logger: logger
            )
            var batches: [RecordBatchRow] = []
            for try await (revision, id, state, created, delivered, verdict, receiptAt, rejection) in rows.decode(
                (Int, String, String, Int64, Int64?, String?, Int64?, String?).self
            ) {
                batches.append(
                    RecordBatchRow(
                        revision: revision,
                        batchID: id,
                        state: state,
                        createdAt: Timestamp(unixSeconds: created),
                        deliveredAt: delivered.map(Timestamp.init(unixSeconds:)),
                        receiptVerdict: verdict,
                        receiptAt: receiptAt.map(Timestamp.init(unixSeconds:)),
                        rejection: rejection
                    )
                )
            }
            return batches
        }
    }

    public func recordFindings(recordID: String) async throws -> [FindingRow] {
        try await withConnection { connection in
            var query = PostgresQuery(
                unsafeSQL: """
                    SELECT \(Self.findingColumns) FROM findings WHERE record_id = $1
                    ORDER BY amount_at_risk DESC, code, id
                    """
            )
            query.binds.append(recordID)
            var findings: [FindingRow] = []
            for try await row in try await connection.queryOnOpen(query, logger: logger) {
                findings.append(try Self.decodeFinding(row))
            }
            return findings
        }
    }

    public func sellerRecords(
        sellerID: String,
        platform: String?,
        limit: Int,
        offset: Int
    ) async throws -> LookupRecordPage {
        let counting = Self.sellerQuery("SELECT count(*) FROM records r WHERE", sellerID: sellerID, platform: platform)
        var page = Self.sellerQuery("\(LookupRecordRow.columns) WHERE", sellerID: sellerID, platform: platform)
        page.binds.append(max(0, limit))
        page.binds.append(max(0, offset))
        page.sql +=
            " ORDER BY r.occurred_at DESC, r.record_id LIMIT $\(page.binds.count - 1) OFFSET $\(page.binds.count)"
        return try await withTransaction(isolation: .repeatableRead) { connection in
            var total = 0
            for try await count in try await connection.queryOnOpen(counting, logger: logger).decode(Int.self) {
                total = count
            }
            var rows: [LookupRecordRow] = []
            for try await row in try await connection.queryOnOpen(page, logger: logger) {
                rows.append(try Self.decodeLookupRecord(row))
            }
            return LookupRecordPage(rows: rows, total: total)
        }
    }

    /// Reads in pages keyed on `record_id`, one short query per page (no connection is held while `body` runs).
    public func forEachSellerRecord(
        sellerID: String,
        platform: String?,
        _ body: (LookupRecordRow) throws -> Void
    ) async throws {
        var after = ""
        while true {
            var query = Self.sellerQuery("\(LookupRecordRow.columns) WHERE", sellerID: sellerID, platform: platform)
            query.binds.append(after)
            query.sql +=
                " AND r.record_id > $\(query.binds.count) ORDER BY r.record_id LIMIT \(LookupRecordRow.sellerPage)"
            let page = try await lookupRecords(query)
            for row in page { try body(row) }
            guard let last = page.last, page.count == LookupRecordRow.sellerPage else { return }
            after = last.recordID
        }
    }

    public func declarationInForce(platform: String, period: TaxPeriod) async throws -> StoredDeclaration? {
        try await withConnection { connection in
            let rows = try await connection.queryOnOpen(
                """
                SELECT version, feed_id, received_at, rows FROM declarations
                WHERE platform = \(platform) AND tax_period = \(period.description) ORDER BY version DESC LIMIT 1
                """,
                logger: logger
            )
            for try await (version, feedID, receivedAt, text) in rows.decode((Int, String, Int64, String).self) {
                return try StoredDeclaration(
                    platform: platform,
                    period: period,
                    version: version,
                    feedID: feedID,
                    receivedAt: receivedAt,
                    rows: text
                )
            }
            return nil
        }
    }

    public func searchRecords(_ search: RecordSearch, limit: Int) async throws -> [LookupRecordRow] {
        var query = PostgresQuery(unsafeSQL: "\(LookupRecordRow.columns) WHERE r.is_latest AND ")
        switch search {
        case .recordID(let id):
            query.binds.append(id)
            query.sql += "r.record_id = $1"
        case .externalID(let id):
            query.binds.append(id)
            query.sql += "r.external_id = $1"
        case .taxID(let id):
            for needle in RecordSearch.sellerIDNeedles(id) { query.binds.append(needle) }
            query.sql += "(strpos(r.body, $1) > 0 OR strpos(r.body, $2) > 0)"
        }
        query.binds.append(max(0, limit))
        query.sql += " ORDER BY r.record_id LIMIT $\(query.binds.count)"
        return try await lookupRecords(query)
    }

    /// `prefix` followed by the condition on a seller's latest records (on one platform when given).
    private static func sellerQuery(_ prefix: String, sellerID: String, platform: String?) -> PostgresQuery {
        var query = PostgresQuery(unsafeSQL: "\(prefix) r.seller_id = $1 AND r.is_latest")
        query.binds.append(sellerID)
        if let platform {
            query.binds.append(platform)
            query.sql += " AND r.platform = $2"
        }
        return query
    }

    /// The rows of `query`, a selection of ``LookupRecordRow/columns``.
    private func lookupRecords(_ query: PostgresQuery) async throws -> [LookupRecordRow] {
        try await withConnection { connection in
            var records: [LookupRecordRow] = []
            for try await row in try await connection.queryOnOpen(query, logger: logger) {
                records.append(try Self.decodeLookupRecord(row))
            }
            return records
        }
    }

    /// A row of ``LookupRecordRow/columns``.
    private static func decodeLookupRecord(_ row: PostgresRow) throws -> LookupRecordRow {
        let row = row.makeRandomAccess()
        func text(_ index: Int) throws -> String { try row[index].decode(String.self) }
        return LookupRecordRow(
            recordID: try text(0),
            revision: try row[1].decode(Int.self),
            platform: try text(2),
            kind: try text(3),
            externalID: try text(4),
            sellerID: try text(5),
            taxPeriod: try text(6),
            occurredAt: Timestamp(unixSeconds: try row[7].decode(Int64.self)),
            receivedAt: Timestamp(unixSeconds: try row[8].decode(Int64.self)),
            feedID: try text(9),
            feedSource: try row[10].decode(String?.self),
            status: try text(11),
            flags: LookupRecordRow.flags(try text(12)),
            isLatest: try row[13].decode(Bool.self),
            body: try text(14)
        )
    }
}
