import Foundation
import TaxLinkCore

extension PreparedRecord {
    /// The rows to insert for `prepared`, in order, given the latest stored revision and content
    /// digest of each record (`latest`): each record becomes its next revision, or is counted as a
    /// duplicate when its content equals the latest revision's (earlier records in the chunk count).
    /// Both stores' writers use this, so they number and count revisions alike.
    static func revisions(
        of prepared: [PreparedRecord],
        after latest: [String: (revision: Int, content: Data)]
    ) -> (rows: [(prepared: PreparedRecord, revision: Int)], counts: IngestCounts) {
        var latest = latest
        var counts = IngestCounts()
        var rows: [(prepared: PreparedRecord, revision: Int)] = []
        for item in prepared {
            let id = item.adapted.record.recordID
            let previous = latest[id]
            if let previous, previous.content == item.contentSHA256 {
                counts.duplicates += 1
                continue
            }
            let revision = (previous?.revision ?? 0) + 1
            rows.append((item, revision))
            latest[id] = (revision, item.contentSHA256)
            counts = counts + IngestCounts(accepted: 1, revised: previous == nil ? 0 : 1)
        }
        return (rows, counts)
    }
}
