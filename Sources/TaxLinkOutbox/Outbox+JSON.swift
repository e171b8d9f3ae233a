import Foundation
import TaxLinkCore
import TaxLinkStore

extension OutboxStatus {
    /// `{"states": {state: {"count", "records", "oldest_age_seconds"}}, "unsealed_records", "last_error", "next_attempt_at"}`.
    public var json: JSONValue {
        let stateMembers = BatchState.allCases.map { state -> (key: String, value: JSONValue) in
            let figures = states[state]
            return (
                key: state.rawValue,
                value: .object([
                    "count": .int(figures?.count ?? 0),
                    "records": .int(figures?.records ?? 0),
                    "oldest_age_seconds": figures?.oldestAgeSeconds.map { .int($0) } ?? .null,
                ])
            )
        }
        return .object([
            "states": .object(JSONObject(stateMembers)),
            "unsealed_records": .int(unsealedRecords),
            "last_error": .optional(lastError),
            "next_attempt_at": .optional(nextAttemptAt?.iso8601),
        ])
    }
}

extension OutboxBatch {
    /// The batch's bookkeeping (not its body).
    public var summaryJSON: JSONValue {
        .object([
            "batch_id": .string(id),
            "state": .string(state.rawValue),
            "record_count": .int(recordCount),
            "body_sha256": .string(bodySHA256),
            "created_at": .string(createdAt.iso8601),
            "attempts": .int(attempts),
            "next_attempt_at": .optional(nextAttemptAt?.iso8601),
            "last_error": .optional(lastError),
            "delivered_at": .optional(deliveredAt?.iso8601),
            "split_from": .optional(parentID),
        ])
    }
}

extension BatchAttempt {
    /// One attempt: time, status code or error, next wait.
    public var json: JSONValue {
        .object([
            "at": .string(at.iso8601),
            "status": status.map { .int($0) } ?? .null,
            "error": .optional(error),
            "next_wait_seconds": nextWait.map { .number(String(format: "%.3f", $0)) } ?? .null,
        ])
    }
}
