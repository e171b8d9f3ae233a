import Crypto
import Foundation
import NIOCore
import PostgresNIO
import TaxLinkCore

extension PostgresRecordWriter {
    /// Stores completed returns in order: each as a refund record (from the ``ReturnResolving``)
    /// when its sale is stored, else as a claim waiting for it; an identical claim is a duplicate.
    mutating func store(_ claims: [ReturnClaim]) async throws -> IngestCounts {
        guard !claims.isEmpty else { return IngestCounts() }
        var stored = try await claimDigests(Array(Set(claims.map(\.recordID))))
        var counts = IngestCounts()
        var changed: [(claim: ReturnClaim, content: Data)] = []
        for claim in claims {
            let content = Data(SHA256.hash(data: Array(claim.jsonWithoutSource.utf8)))
            if stored[claim.recordID] == content {
                counts.duplicates += 1
                continue
            }
            stored[claim.recordID] = content
            changed.append((claim, content))
        }
        guard !changed.isEmpty else { return counts }
        try await upsert(changed)
        let sales = try await latestSales(changed.map { ReturnClaim.saleRecordID($0.claim.platform, $0.claim.orderID) })
        var refunds: [PreparedRecord] = []
        var resolved: [String] = []
        for (claim, _) in changed {
            guard let sale = sales[ReturnClaim.saleRecordID(claim.platform, claim.orderID)] else {
                pendingClaims = true
                mayMeetClaims = true
                counts.accepted += 1
                continue
            }
            refunds.append(try resolver.refund(for: claim, sale: sale.record, lineItemIDs: sale.itemIDs))
            resolved.append(claim.recordID)
        }
        try await markResolved(resolved)
        return counts + (try await store(refunds))
    }

    /// Turns the claims waiting for `sales` into refund records (not counted: the claim was).
    mutating func resolveClaims(forSales sales: [TransactionRecord]) async throws {
        guard !sales.isEmpty else { return }
        mayMeetClaims = true
        if pendingClaims != true {
            let rows = try await connection.queryOnOpen(
                "SELECT EXISTS (SELECT 1 FROM return_claims WHERE NOT resolved)",
                logger: logger
            )
            for try await exists in rows.decode(Bool.self) { pendingClaims = exists }
        }
        guard pendingClaims == true else { return }
        try await resolve(
            connection.queryOnOpen(
                """
                SELECT DISTINCT c.record_id, c.body FROM return_claims c
                JOIN unnest(\(sales.map(\.platform))::text[], \(sales.map(\.externalID))::text[]) AS s(platform, order_id)
                    ON c.platform = s.platform AND c.order_id = s.order_id
                WHERE NOT c.resolved ORDER BY c.record_id
                """,
                logger: logger
            )
        )
    }

    /// Turns every claim waiting for a sale that is stored into its refund record.
    ///
    /// A claim and its sale stored at the same moment by two processes do not see each other (each
    /// transaction sees only what was committed), so both stay as they are. Each process calls this
    /// after its feed committed: the later of the two sees both and makes the refund. It reads
    /// every waiting claim (an index of the waiting ones only), so it also catches a pair left by a
    /// process that stopped between its commit and this call.
    mutating func resolveWaitingClaims() async throws {
        try await resolve(
            connection.queryOnOpen(
                """
                SELECT c.record_id, c.body FROM return_claims c
                WHERE NOT c.resolved AND EXISTS (
                    SELECT 1 FROM records r
                    WHERE r.platform = c.platform AND r.external_id = c.order_id AND r.kind = 'sale' AND r.is_latest)
                ORDER BY c.record_id
                """,
                logger: logger
            )
        )
    }

    /// Makes the refund record of each claim in `waiting` (rows of `record_id, body`) whose sale
    /// is stored, and marks the claim resolved.
    private func resolve(_ waiting: PostgresRowSequence) async throws {
        var claims: [ReturnClaim] = []
        for try await (_, body) in waiting.decode((String, String).self) {
            claims.append(try ReturnClaim(json: JSONParser.parse(Array(body.utf8))))
        }
        guard !claims.isEmpty else { return }
        let stored = try await latestSales(claims.map { ReturnClaim.saleRecordID($0.platform, $0.orderID) })
        var refunds: [PreparedRecord] = []
        var resolved: [String] = []
        for claim in claims {
            guard let sale = stored[ReturnClaim.saleRecordID(claim.platform, claim.orderID)] else { continue }
            refunds.append(try resolver.refund(for: claim, sale: sale.record, lineItemIDs: sale.itemIDs))
            resolved.append(claim.recordID)
        }
        _ = try await store(refunds)
        try await markResolved(resolved)
    }

    /// The content digest of each stored claim.
    private func claimDigests(_ recordIDs: [String]) async throws -> [String: Data] {
        let rows = try await connection.queryOnOpen(
            "SELECT record_id, content_sha256 FROM return_claims WHERE record_id = ANY(\(recordIDs))",
            logger: logger
        )
        var digests: [String: Data] = [:]
        for try await (id, content) in rows.decode((String, Data).self) { digests[id] = content }
        return digests
    }

    /// Stores claims as waiting (the last of each record id in the chunk wins).
    private func upsert(_ claims: [(claim: ReturnClaim, content: Data)]) async throws {
        var last: [String: (claim: ReturnClaim, content: Data)] = [:]
        for entry in claims { last[entry.claim.recordID] = entry }
        let rows = last.values.sorted { $0.claim.recordID < $1.claim.recordID }
        try await connection.queryOnOpen(
            """
            INSERT INTO return_claims (record_id, platform, order_id, content_sha256, body, resolved)
            SELECT id, platform, order_id, content, body, false
            FROM unnest(\(rows.map(\.claim.recordID))::text[], \(rows.map(\.claim.platform))::text[],
                \(rows.map(\.claim.orderID))::text[], \(rows.map { ByteBuffer(bytes: $0.content) })::bytea[],
                \(rows.map { CanonicalJSON.string($0.claim.json) })::text[]) AS c(id, platform, order_id, content, body)
            ON CONFLICT (record_id) DO UPDATE SET
                order_id = excluded.order_id, content_sha256 = excluded.content_sha256, body = excluded.body,
                resolved = false
            """,
            logger: logger
        )
    }

    private func markResolved(_ recordIDs: [String]) async throws {
        guard !recordIDs.isEmpty else { return }
        try await connection.queryOnOpen(
            "UPDATE return_claims SET resolved = true WHERE record_id = ANY(\(recordIDs))",
            logger: logger
        )
    }

    /// The latest revision of each of the sales `recordIDs` that is stored, with its line item ids.
    private func latestSales(
        _ recordIDs: [String]
    ) async throws -> [String: (record: TransactionRecord, itemIDs: [String: Int])] {
        let rows = try await connection.queryOnOpen(
            """
            SELECT record_id, body, line_item_ids FROM records
            WHERE record_id = ANY(\(Array(Set(recordIDs)))) AND is_latest
            """,
            logger: logger
        )
        var sales: [String: (record: TransactionRecord, itemIDs: [String: Int])] = [:]
        for try await (id, body, itemIDsText) in rows.decode((String, String, String?).self) {
            let record = try TransactionRecord(json: JSONParser.parse(Array(body.utf8)))
            var itemIDs: [String: Int] = [:]
            if let itemIDsText, case .object(let object) = try JSONParser.parse(Array(itemIDsText.utf8)) {
                for member in object.members {
                    if case .number(let literal) = member.value, let index = Int(literal) {
                        itemIDs[member.key] = index
                    }
                }
            }
            sales[id] = (record, itemIDs)
        }
        return sales
    }
}

extension ReturnClaim {
    /// The record id of the sale a return of `orderID` belongs to.
    fileprivate static func saleRecordID(_ platform: String, _ orderID: String) -> String {
        "\(platform):\(RecordKind.sale.rawValue):\(orderID)"
    }
}
