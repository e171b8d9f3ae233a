import Crypto
import Foundation
import TaxLinkCore

/// A completed record made ready for the store before it reaches the writer: its flags, the digest
/// of its content and its canonical body as revision 1 are computed by whoever prepares it, so the
/// single database writer only looks up, compares and inserts.
public struct PreparedRecord: Sendable, Hashable {
    /// The record as the adapter made it.
    public let adapted: AdaptedRecord
    /// The codes the record shows by itself.
    let flags: [DiscrepancyCode]
    /// SHA-256 of the record's content (what the platform said, without revision, flags and source).
    let contentSHA256: Data
    /// The canonical body with revision 1, the common case.
    let firstRevisionBody: String

    /// Prepares `adapted`, assessing it under `rates`.
    public init(_ adapted: AdaptedRecord, rates: RateSchedule) {
        var record = adapted.record
        record.revision = 1
        record.flags = RecordAssessment(record: record, sourceDifference: adapted.sourceDifference, schedule: rates).flags
        var prepared = adapted
        prepared.record = record
        self.adapted = prepared
        flags = record.flags
        contentSHA256 = Data(SHA256.hash(data: record.contentBytes))
        firstRevisionBody = String(decoding: record.canonicalBytes, as: UTF8.self)
    }

    /// The canonical body of the record as `revision`.
    func body(revision: Int) -> String {
        guard revision != 1 else { return firstRevisionBody }
        var record = adapted.record
        record.revision = revision
        return String(decoding: record.canonicalBytes, as: UTF8.self)
    }
}
