import NIOCore
import PostgresNIO
import TaxLinkCore

extension PostgresStore {
    /// One autocommitted statement: the receipt is durable before the caller looks at it.
    public func storeReceipt(_ receipt: ReceivedReceipt) async throws -> Int64 {
        try await withConnection { connection in
            let rows = try await connection.outboxRows(
                """
                INSERT INTO batch_receipts (batch_id, received_at, status, body, jws, ministry_trust)
                VALUES (\(receipt.batchID), \(receipt.receivedAt.seconds), \(receipt.status),
                    \(ByteBuffer(bytes: receipt.body)), \(receipt.jws), \(receipt.ministryTrust))
                RETURNING id
                """
            )
            guard let id = try rows.first?.decode(Int64.self) else { throw PostgresOutboxError.noReceiptID }
            return id
        }
    }

    public func recordReceiptVerdict(id: Int64, problem: String?) async throws {
        try await withConnection { connection in
            try await connection.outboxExecute(
                """
                UPDATE batch_receipts SET verdict = \(problem == nil ? "verified" : "refused"), problem = \(problem)::text
                WHERE id = \(id)
                """
            )
        }
    }

    public func receipts(batchID: String) async throws -> [StoredReceipt] {
        try await withConnection { connection in
            try await connection.outboxRows(
                """
                SELECT id, received_at, status, body, jws, ministry_trust, verdict, problem
                FROM batch_receipts WHERE batch_id = \(batchID) ORDER BY id
                """
            ).map { row in
                let (id, receivedAt, status, body, jws, ministryTrust, verdictName, problem) = try row.decode(
                    (Int64, Int64, Int, ByteBuffer, String?, String?, String, String?).self
                )
                let verdict: StoredReceipt.Verdict =
                    switch verdictName {
                    case "verified": .verified
                    case "refused": .refused(problem ?? "")
                    default: .unchecked
                    }
                return StoredReceipt(
                    id: id,
                    receipt: ReceivedReceipt(
                        batchID: batchID,
                        receivedAt: Timestamp(unixSeconds: receivedAt),
                        status: status,
                        body: Array(body.readableBytesView),
                        jws: jws,
                        ministryTrust: ministryTrust
                    ),
                    verdict: verdict
                )
            }
        }
    }
}
