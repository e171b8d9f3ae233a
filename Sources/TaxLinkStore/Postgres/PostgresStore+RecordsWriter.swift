import Foundation
import Logging
import NIOCore
import PostgresNIO
import TaxLinkCore

/// The record bookkeeping of one feed transaction on PostgreSQL: revisions, duplicates, pending
/// orders, return claims — the SQLite `RecordWriter`'s rules, a chunk at a time: one round trip
/// looks up the chunk's records (`record_id = ANY($1)`), one inserts its new revisions
/// (`INSERT … SELECT * FROM unnest(…)`).
///
/// Within a chunk the items count in order, as if stored one by one: a record twice in a chunk is
/// a duplicate the second time, or its next revision. A row that does not go in because another
/// process committed the same key first throws ``Conflict``: the caller rolls the chunk back to its
/// savepoint and writes it again, now reading that row.
struct PostgresRecordWriter: Sendable {
    /// A row of the chunk was written by another process meanwhile; write the chunk again.
    struct Conflict: Error {}

    let connection: PostgresConnection
    let feedID: String
    let resolver: any ReturnResolving
    let logger: Logger
    /// Whether any return waits for its sale; looked up once per feed, once true stays true.
    var pendingClaims: Bool?
    /// Whether the feed stored a sale or left a claim waiting: a claim or sale stored by another
    /// process at the same moment may be waiting for it (see ``resolveWaitingClaims()``).
    var mayMeetClaims = false

    init(connection: PostgresConnection, feedID: String, resolver: any ReturnResolving, logger: Logger) {
        self.connection = connection
        self.feedID = feedID
        self.resolver = resolver
        self.logger = logger
    }

    /// Whether `error` means the chunk met another writer: a row that did not go in, a unique
    /// violation, a deadlock or a serialization failure.
    static func isConflict(_ error: any Error) -> Bool {
        if error is Conflict { return true }
        guard let error = error as? PSQLError else { return false }
        return ["23505", "40P01", "40001"].contains(error.serverInfo?[.sqlState] ?? "")
    }

    /// Stores a chunk of accepted items: records, then return claims (each resolved when its sale
    /// is stored), then the claims waiting for the chunk's sales, then which orders were seen.
    mutating func store(_ items: [IngestItem]) async throws -> IngestCounts {
        let chunk = IngestChunk(items)
        var counts = try await store(chunk.prepared)
        counts = counts + (try await store(chunk.claims))
        let sales = chunk.prepared.map(\.adapted.record).filter { $0.kind == .sale }
        try await resolveClaims(forSales: sales)
        return counts + (try await markSeen(chunk.marks))
    }

    /// Stores completed records in order: each as its next revision, or counted as a duplicate when
    /// its content equals the latest revision's.
    func store(_ prepared: [PreparedRecord]) async throws -> IngestCounts {
        guard !prepared.isEmpty else { return IngestCounts() }
        let latest = try await latestRevisions(of: Array(Set(prepared.map(\.adapted.record.recordID))))
        let stored = Set(latest.keys)
        let (rows, counts) = PreparedRecord.revisions(of: prepared, after: latest)
        guard !rows.isEmpty else { return counts }
        try await insert(rows, demoting: Array(stored.intersection(rows.map(\.prepared.adapted.record.recordID))))
        return counts
    }

    /// The highest revision of each record and its content digest.
    private func latestRevisions(of recordIDs: [String]) async throws -> [String: (revision: Int, content: Data)] {
        let rows = try await connection.queryOnOpen(
            """
            SELECT DISTINCT ON (record_id) record_id, revision, content_sha256 FROM records
            WHERE record_id = ANY(\(recordIDs)) ORDER BY record_id, revision DESC
            """,
            logger: logger
        )
        var latest: [String: (revision: Int, content: Data)] = [:]
        for try await (id, revision, content) in rows.decode((String, Int, Data).self) {
            latest[id] = (revision, content)
        }
        return latest
    }

    /// Inserts new revisions (the last of each record in the chunk is its latest) after taking the
    /// latest mark off the revisions they follow, in one statement; throws ``Conflict`` when a row
    /// did not go in.
    private func insert(_ rows: [(prepared: PreparedRecord, revision: Int)], demoting: [String]) async throws {
        let rows = rows.sorted {
            ($0.prepared.adapted.record.recordID, $0.revision) < ($1.prepared.adapted.record.recordID, $1.revision)
        }
        let columns = RecordColumns(rows)
        let inserted = try await connection.queryOnOpen(
            """
            WITH demoted AS (
                UPDATE records SET is_latest = false WHERE is_latest AND record_id = ANY(\(demoting)) RETURNING 1
            )
            INSERT INTO records (record_id, revision, platform, kind, external_id, original_external_id, seller_id,
                tax_period, occurred_at, received_at, feed_id, status, flags, content_sha256, source_difference, cod,
                line_item_ids, body, is_latest, \(unescaped: RecordFactColumns.list))
            SELECT * FROM unnest(\(columns.recordID)::text[], \(columns.revision)::bigint[], \(columns.platform)::text[],
                \(columns.kind)::text[], \(columns.externalID)::text[], \(PostgresNullableArray(columns.originalExternalID))::text[],
                \(columns.sellerID)::text[], \(columns.taxPeriod)::text[], \(columns.occurredAt)::bigint[],
                \(columns.receivedAt)::bigint[], \(columns.feedID)::text[], \(columns.status)::text[],
                \(columns.flags)::text[], \(columns.content)::bytea[], \(PostgresNullableArray(columns.sourceDifference))::bigint[],
                \(columns.cod)::boolean[], \(PostgresNullableArray(columns.lineItemIDs))::text[], \(columns.body)::text[],
                \(columns.isLatest)::boolean[], \(columns.facts.sellerType)::text[], \(columns.facts.resident)::boolean[],
                \(PostgresNullableArray(columns.facts.taxCode))::text[],
                \(PostgresNullableArray(columns.facts.nationalID))::text[], \(columns.facts.gross)::bigint[],
                \(columns.facts.sellerDiscount)::bigint[], \(columns.facts.platformDiscount)::bigint[],
                \(columns.facts.shippingFee)::bigint[], \(columns.facts.buyerPaid)::bigint[],
                \(columns.facts.platformFees)::bigint[], \(columns.facts.vat)::bigint[], \(columns.facts.pit)::bigint[],
                \(columns.facts.lines)::text[])
            WHERE (SELECT count(*) FROM demoted) >= 0
            ON CONFLICT DO NOTHING
            RETURNING 1
            """,
            logger: logger
        )
        var count = 0
        for try await _ in inserted { count += 1 }
        guard count == rows.count else { throw Conflict() }
    }
}

/// The columns of a chunk of new revisions, one array each, for `unnest`.
private struct RecordColumns {
    var recordID: [String] = []
    var revision: [Int] = []
    var platform: [String] = []
    var kind: [String] = []
    var externalID: [String] = []
    var originalExternalID: [String?] = []
    var sellerID: [String] = []
    var taxPeriod: [String] = []
    var occurredAt: [Int64] = []
    var receivedAt: [Int64] = []
    var feedID: [String] = []
    var status: [String] = []
    var flags: [String] = []
    var content: [ByteBuffer] = []
    var sourceDifference: [Int64?] = []
    var cod: [Bool] = []
    var lineItemIDs: [String?] = []
    var body: [String] = []
    var isLatest: [Bool] = []
    var facts = FactColumns()

    /// `rows` sorted by record id and revision.
    init(_ rows: [(prepared: PreparedRecord, revision: Int)]) {
        for (index, row) in rows.enumerated() {
            let adapted = row.prepared.adapted
            let record = adapted.record
            recordID.append(record.recordID)
            revision.append(row.revision)
            platform.append(record.platform)
            kind.append(record.kind.rawValue)
            externalID.append(record.externalID)
            originalExternalID.append(record.originalExternalID)
            sellerID.append(record.seller.platformSellerID)
            taxPeriod.append(record.taxPeriod.description)
            occurredAt.append(record.occurredAt.seconds)
            receivedAt.append(record.source.receivedAt.seconds)
            feedID.append(record.source.feedID)
            status.append(record.isQuarantined ? "quarantined" : "ready")
            flags.append(record.flags.map(\.rawValue).joined(separator: ","))
            content.append(ByteBuffer(bytes: row.prepared.contentSHA256))
            sourceDifference.append(adapted.sourceDifference)
            cod.append(adapted.cashOnDelivery)
            lineItemIDs.append(adapted.lineItemIDsJSON)
            body.append(row.prepared.body(revision: row.revision))
            facts.append(row.prepared.facts)
            isLatest.append(
                index == rows.count - 1 || rows[index + 1].prepared.adapted.record.recordID != record.recordID
            )
        }
    }
}

/// The narrow columns (``RecordFacts``) of a chunk of new revisions, one array each, for `unnest`.
private struct FactColumns {
    var sellerType: [String] = []
    var resident: [Bool] = []
    var taxCode: [String?] = []
    var nationalID: [String?] = []
    var gross: [Int64] = []
    var sellerDiscount: [Int64] = []
    var platformDiscount: [Int64] = []
    var shippingFee: [Int64] = []
    var buyerPaid: [Int64] = []
    var platformFees: [Int64] = []
    var vat: [Int64] = []
    var pit: [Int64] = []
    var lines: [String] = []

    mutating func append(_ facts: RecordFacts) {
        sellerType.append(facts.sellerType.rawValue)
        resident.append(facts.resident)
        taxCode.append(facts.taxCode)
        nationalID.append(facts.nationalID)
        gross.append(facts.amounts.gross)
        sellerDiscount.append(facts.amounts.sellerDiscount)
        platformDiscount.append(facts.amounts.platformDiscount)
        shippingFee.append(facts.amounts.shippingFee)
        buyerPaid.append(facts.amounts.buyerPaid)
        platformFees.append(facts.amounts.platformFees)
        vat.append(facts.withholding.vat)
        pit.append(facts.withholding.pit)
        lines.append(facts.linesText)
    }
}

extension AdaptedRecord {
    /// The line item ids as stored in `records.line_item_ids`: canonical JSON sorted by id, or
    /// `nil` when the platform names no items.
    var lineItemIDsJSON: String? {
        guard !lineItemIDs.isEmpty else { return nil }
        let members = lineItemIDs.sorted { $0.key < $1.key }.map { (key: $0.key, value: JSONValue.int($0.value)) }
        return CanonicalJSON.string(.object(JSONObject(members)))
    }
}
