import TaxLinkCore
import TaxLinkStore

/// Everything the record view shows of one record: every revision (decoded where it can be) with the feed
/// that carried it, the batches that carry its revisions with their receipts, and the findings about it.
public struct RecordDrillDown: Sendable {
    /// One stored revision.
    public struct Revision: Sendable {
        /// The stored columns and canonical JSON.
        public var row: LookupRecordRow
        /// The record, `nil` when its stored JSON cannot be read (then ``problem`` says why).
        public var record: TransactionRecord?
        /// Why the record could not be read.
        public var problem: String?
    }

    /// The record id.
    public var recordID: String
    /// Every revision, oldest first (never empty).
    public var revisions: [Revision]
    /// The batches that carry its revisions, by revision.
    public var batches: [RecordBatchRow]
    /// The findings about it, the largest amount at risk first.
    public var findings: [StoredFinding]

    /// The latest revision.
    public var latest: Revision { revisions.last(where: \.row.isLatest) ?? revisions[revisions.count - 1] }

    /// The record `recordID` read through `lookup`, or `nil` when no revision of it is stored.
    public static func load(recordID: String, lookup: any RecordLookupStorage) async throws -> RecordDrillDown? {
        let rows = try await lookup.recordRevisions(recordID: recordID)
        guard !rows.isEmpty else { return nil }
        let revisions = rows.map { row in
            do {
                return Revision(row: row, record: try TransactionRecord(json: JSONParser.parse(Array(row.body.utf8))))
            } catch {
                return Revision(row: row, record: nil, problem: "\(error)")
            }
        }
        return RecordDrillDown(
            recordID: recordID,
            revisions: revisions,
            batches: try await lookup.recordBatches(recordID: recordID),
            findings: try await lookup.recordFindings(recordID: recordID).map { row throws(ReconcileError) in
                try StoredFinding(row)
            }
        )
    }
}
