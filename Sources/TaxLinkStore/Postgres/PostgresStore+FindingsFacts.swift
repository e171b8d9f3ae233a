import PostgresNIO
import TaxLinkCore

extension PostgresReconciliationSnapshot {
    func forEachLatestFacts(_ body: (LatestRecordRow, RecordFacts?) throws -> Void) throws {
        var after = ""
        while true {
            let page = try rows { [self, after] in
                try await connection.query(
                    """
                    SELECT \(unescaped: PostgresLatestFacts.columns) FROM records
                    WHERE is_latest AND record_id > \(after) ORDER BY record_id LIMIT \(Int64(pageSize))
                    """,
                    logger: logger
                )
            }
            for row in page {
                let facts = try PostgresLatestFacts(row)
                after = facts.recordID
                if let row = facts.row { try body(row, facts.facts) }
            }
            guard page.count == pageSize else { return }
        }
    }

    func latestFacts(recordIDs: [String], _ body: (LatestRecordRow, RecordFacts?) throws -> Void) throws {
        for start in stride(from: 0, to: recordIDs.count, by: pageSize) {
            let chunk = Array(recordIDs[start..<min(start + pageSize, recordIDs.count)])
            let page = try rows { [self] in
                try await connection.query(
                    """
                    SELECT \(unescaped: PostgresLatestFacts.columns) FROM records
                    WHERE record_id = ANY(\(chunk)) AND is_latest ORDER BY record_id
                    """,
                    logger: logger
                )
            }
            for row in page {
                let facts = try PostgresLatestFacts(row)
                if let row = facts.row { try body(row, facts.facts) }
            }
        }
    }
}

/// The latest revision of a record as reconciliation reads it: its identity columns and its narrow
/// columns (``RecordFacts``), without its body.
private struct PostgresLatestFacts {
    /// The columns selected, in the order ``init(_:)`` reads them.
    static let columns = """
        record_id, revision, platform, kind, external_id, original_external_id, seller_id, occurred_at, received_at,
        status, flags, source_difference, cod, \(RecordFactColumns.list)
        """

    let recordID: String
    /// `nil` for a kind this build does not know (as the SQLite store skips it).
    let row: LatestRecordRow?
    let facts: RecordFacts?

    init(_ row: PostgresRow) throws {
        let columns = row.makeRandomAccess()
        recordID = try columns[0].decode(String.self)
        guard let kind = RecordKind(rawValue: try columns[3].decode(String.self)) else {
            self.row = nil
            facts = nil
            return
        }
        self.row = LatestRecordRow(
            revision: try columns[1].decode(Int.self),
            platform: try columns[2].decode(String.self),
            kind: kind,
            externalID: try columns[4].decode(String.self),
            originalExternalID: try columns[5].decode(String?.self),
            sellerID: try columns[6].decode(String.self),
            occurredAt: Timestamp(unixSeconds: try columns[7].decode(Int64.self)),
            receivedAt: Timestamp(unixSeconds: try columns[8].decode(Int64.self)),
            status: try columns[9].decode(String.self),
            flags: try columns[10].decode(String.self),
            sourceDifference: try columns[11].decode(Int64?.self),
            cashOnDelivery: try columns[12].decode(Bool.self)
        )
        facts = RecordFactColumns(
            sellerType: try columns[13].decode(String?.self),
            resident: try columns[14].decode(Bool?.self),
            taxCode: try columns[15].decode(String?.self),
            nationalID: try columns[16].decode(String?.self),
            gross: try columns[17].decode(Int64?.self),
            sellerDiscount: try columns[18].decode(Int64?.self),
            platformDiscount: try columns[19].decode(Int64?.self),
            shippingFee: try columns[20].decode(Int64?.self),
            buyerPaid: try columns[21].decode(Int64?.self),
            platformFees: try columns[22].decode(Int64?.self),
            vat: try columns[23].decode(Int64?.self),
            pit: try columns[24].decode(Int64?.self),
            lines: try columns[25].decode(String?.self)
        ).facts
    }
}
