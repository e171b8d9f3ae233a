import TaxLinkCore

/// Look-ups for the analysts' drill-down: one record with every revision, its batches and receipts and
/// its findings; a seller's records; the declaration in force of a platform and period; search by order
/// id, record id or tax id.
///
/// Read-only, in storage terms: rows as stored (text, integers, canonical JSON). What the rows mean — the
/// figures of a seller and period, the comparison of a schedule with a declaration — is computed above the
/// store (`TaxLinkReconcile`), so both stores answer alike. Every list is bounded by a `limit`.
public protocol RecordLookupStorage: Sendable {
    /// Every stored revision of `recordID`, oldest first, each with the feed that carried it; empty when
    /// the record is unknown.
    func recordRevisions(recordID: String) async throws -> [LookupRecordRow]

    /// The batches that carry a revision of `recordID`, by revision, each with its state and what its
    /// latest receipt said about the batch and about this record.
    func recordBatches(recordID: String) async throws -> [RecordBatchRow]

    /// The findings whose `record_id` is `recordID`, the largest amount at risk first.
    func recordFindings(recordID: String) async throws -> [FindingRow]

    /// The latest revision of each record of seller `sellerID` (on `platform` when given), the most recent
    /// `occurred_at` first, `offset` skipped and at most `limit`, with how many there are in all.
    func sellerRecords(sellerID: String, platform: String?, limit: Int, offset: Int) async throws -> LookupRecordPage

    /// Calls `body` with the latest revision of every record of seller `sellerID` (on `platform` when
    /// given), in `record_id` order: what the figures of the seller's periods are computed from.
    func forEachSellerRecord(
        sellerID: String,
        platform: String?,
        _ body: (LookupRecordRow) throws -> Void
    ) async throws

    /// The declaration in force (the highest version) of `platform` for `period`, or `nil`.
    func declarationInForce(platform: String, period: TaxPeriod) async throws -> StoredDeclaration?

    /// The latest revisions of the records `search` names, in `record_id` order, at most `limit`.
    func searchRecords(_ search: RecordSearch, limit: Int) async throws -> [LookupRecordRow]
}

/// What a search looks for among the latest revisions of the records.
public enum RecordSearch: Sendable, Hashable {
    /// The record whose id is exactly this (`platform:kind:external_id`).
    case recordID(String)
    /// Records whose platform id (`external_id`) is exactly this, on any platform, sales and refunds.
    case externalID(String)
    /// Records whose seller's normalised tax code or national id is exactly this.
    case taxID(String)
}

extension RecordSearch {
    /// The texts one of which the canonical JSON of a matching record contains, for a tax id search:
    /// `"tax_code":"…"` or `"national_id":"…"` (canonical JSON has no spaces, and the id is escaped as the
    /// body escapes it). Both stores filter on these before reading any JSON.
    static func sellerIDNeedles(_ taxID: String) -> [String] {
        let value = CanonicalJSON.string(.string(taxID))
        return ["\"tax_code\":\(value)", "\"national_id\":\(value)"]
    }
}
