import Crypto
import Foundation
import GRDB
import TaxLinkCore

extension SQLiteStore {
    public func forEachRecord(_ query: RecordQuery, _ body: (StoredRecord) throws -> Void) async throws {
        var conditions = ["(record_id > ? OR (record_id = ? AND revision > ?))"]
        var filters: StatementArguments = []
        if !query.allRevisions { conditions.append("is_latest = 1") }
        if let platform = query.platform {
            conditions.append("platform = ?")
            filters += [platform]
        }
        if let period = query.period {
            conditions.append("tax_period = ?")
            filters += [period.description]
        }
        let sql = """
            SELECT record_id, revision, body, status FROM records WHERE \(conditions.joined(separator: " AND "))
            ORDER BY record_id, revision LIMIT 2000
            """
        var after = ("", 0)
        while true {
            let arguments: StatementArguments = [after.0, after.0, after.1] + filters
            let page = try await pool.read { db in
                try Row.fetchAll(db, sql: sql, arguments: arguments).map {
                    StoredRecord(
                        recordID: $0[0],
                        revision: $0[1],
                        body: $0[2],
                        quarantined: ($0[3] as String) == "quarantined"
                    )
                }
            }
            for record in page { try body(record) }
            guard let last = page.last, page.count == 2000 else { return }
            after = (last.recordID, last.revision)
        }
    }
}
