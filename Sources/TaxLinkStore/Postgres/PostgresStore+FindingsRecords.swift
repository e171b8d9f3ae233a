import PostgresNIO
import TaxLinkCore

/// The latest revision of a record as the reconciliation snapshot reads it: its columns, and its
/// canonical JSON, lent to the reader for one call.
struct PostgresLatestRecord {
    /// The columns selected, in the order ``init(_:)`` reads them.
    static let columns = """
        revision, platform, kind, external_id, original_external_id, seller_id, occurred_at, received_at, status,
        flags, source_difference, cod, body, record_id
        """
    /// The position of `record_id` in ``columns``, where the next page starts.
    static let recordIDColumn = 13

    let row: LatestRecordRow
    let body: [UInt8]

    /// The record of `row`, or `nil` for a kind this build does not know (as the SQLite store skips it).
    init?(_ row: PostgresRow) throws {
        let columns = row.makeRandomAccess()
        guard let kind = RecordKind(rawValue: try columns[2].decode(String.self)) else { return nil }
        self.row = LatestRecordRow(
            revision: try columns[0].decode(Int.self),
            platform: try columns[1].decode(String.self),
            kind: kind,
            externalID: try columns[3].decode(String.self),
            originalExternalID: try columns[4].decode(String?.self),
            sellerID: try columns[5].decode(String.self),
            occurredAt: Timestamp(unixSeconds: try columns[6].decode(Int64.self)),
            receivedAt: Timestamp(unixSeconds: try columns[7].decode(Int64.self)),
            status: try columns[8].decode(String.self),
            flags: try columns[9].decode(String.self),
            sourceDifference: try columns[10].decode(Int64?.self),
            cashOnDelivery: try columns[11].decode(Bool.self)
        )
        body = Array(try columns[12].decode(String.self).utf8)
    }

    /// Calls `body` with the columns and the canonical JSON.
    func lend(to body: (LatestRecordRow, Span<UInt8>) throws -> Void) throws {
        try body(row, self.body.span)
    }
}
