import Crypto
import Foundation
import TaxLinkCore

/// A completed record made ready for the store before it reaches the writer: ingest assesses it
/// (its flags), and this value computes the digest of its content and its canonical body as
/// revision 1 and the narrow columns reconciliation reads (``RecordFacts``), so the single database
/// writer only looks up, compares and inserts.
public struct PreparedRecord: Sendable, Hashable {
    /// The record as the adapter made it, with revision 1 and the flags ingest found on it.
    public let adapted: AdaptedRecord
    /// SHA-256 of the record's content (what the platform said, without revision, flags and source).
    let contentSHA256: Data
    /// The canonical body with revision 1, the common case.
    let firstRevisionBody: String
    /// What reconciliation reads of the record, stored in narrow columns beside the body.
    let facts: RecordFacts

    /// Prepares `adapted` with the `flags` ingest found on it (sorted by code, as
    /// `RecordAssessment` gives them); the store stores them as they are.
    public init(_ adapted: AdaptedRecord, flags: [DiscrepancyCode]) {
        var record = adapted.record
        record.revision = 1
        record.flags = flags
        var prepared = adapted
        prepared.record = record
        self.adapted = prepared
        let body = record.canonicalBytes
        contentSHA256 = Data(SHA256.hash(data: Self.content(of: body)))
        firstRevisionBody = String(decoding: body, as: UTF8.self)
        facts = RecordFacts(record)
    }

    /// The canonical body up to its `flags` member. The schema puts `flags` and `source` last, and
    /// everything before them is what the platform said (the revision is always 1 here), so two
    /// deliveries with the same content give the same prefix. A quote inside a string is always
    /// escaped, so `,"flags":[` cannot occur before the member itself.
    static func content(of body: [UInt8]) -> ArraySlice<UInt8> {
        let marker = Array(#","flags":["#.utf8)
        var index = body.count - marker.count
        while index >= 0 {
            if body[index] == marker[0], body[index..<(index + marker.count)].elementsEqual(marker) {
                return body[..<index]
            }
            index -= 1
        }
        return body[...]
    }

    /// The canonical body of the record as `revision`.
    func body(revision: Int) -> String {
        guard revision != 1 else { return firstRevisionBody }
        var record = adapted.record
        record.revision = revision
        return String(decoding: record.canonicalBytes, as: UTF8.self)
    }
}
