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
        let body = record.canonicalBytes
        contentSHA256 = Data(SHA256.hash(data: Self.content(of: body)))
        firstRevisionBody = String(decoding: body, as: UTF8.self)
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
