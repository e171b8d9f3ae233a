import TaxLinkCore

/// The receipt of a batch, in the intake's wire form.
enum Receipt {
    /// `R-<year>-<number, six digits at least>`, the year of `receivedAt` in UTC.
    static func id(number: Int64, receivedAt: Timestamp) -> String {
        let digits = String(number)
        let padded = String(repeating: "0", count: max(0, 6 - digits.count)) + digits
        return "R-\(receivedAt.civilTime(offset: 0).year)-\(padded)"
    }

    /// The receipt bytes: `{"receipt_id","batch_id","received_at","body_sha256","accepted","rejected"}`
    /// in that order, canonical JSON.
    static func bytes(
        receiptID: String,
        batchID: String,
        receivedAt: Timestamp,
        bodySHA256: String,
        accepted: Int,
        rejected: [(recordID: String, rejection: Rejection)]
    ) -> [UInt8] {
        CanonicalJSON.encode(
            .object([
                "receipt_id": .string(receiptID),
                "batch_id": .string(batchID),
                "received_at": .string(receivedAt.iso8601),
                "body_sha256": .string(bodySHA256),
                "accepted": .int(accepted),
                "rejected": .array(
                    rejected.map {
                        .object([
                            "record_id": .string($0.recordID),
                            "code": .string($0.rejection.code.rawValue),
                            "message": .string($0.rejection.message),
                        ])
                    }
                ),
            ])
        )
    }

    /// `{"batch_id":…,"status":"processing"}`.
    static func processing(batchID: String) -> [UInt8] {
        CanonicalJSON.encode(.object(["batch_id": .string(batchID), "status": "processing"]))
    }
}

/// The counters of `GET /_stats`, since the process started.
actor MinistryStats {
    private var batchesAccepted = 0
    private var recordsAccepted = 0
    private var rejected: [String: Int] = [:]
    private var duplicates = 0
    private var replays = 0
    private var conflicts = 0
    private var faults: [String: Int] = [:]
    private var requests = 0
    private var batchesRejected: [String: Int] = [:]

    func countRequest() { requests += 1 }
    func countFault(_ kind: FaultPlan.Kind) { faults["\(kind)", default: 0] += 1 }
    func countReplay() { replays += 1 }
    func countConflict() { conflicts += 1 }
    func countBatchRejected(status: Int) { batchesRejected[String(status), default: 0] += 1 }

    func countAccepted(records: Int, rejected codes: [RejectionCode]) {
        batchesAccepted += 1
        recordsAccepted += records
        for code in codes {
            rejected[code.rawValue, default: 0] += 1
            if code == .duplicateRecord { duplicates += 1 }
        }
    }

    /// The counters as JSON: `batches_accepted`, `records_accepted`, `rejected` (per code),
    /// `duplicates`, `replays`, `conflicts`, `faults` (per kind), `requests`, and
    /// `batches_rejected` (per status).
    func json() -> JSONValue {
        func object(_ counts: [String: Int]) -> JSONValue {
            .object(JSONObject(counts.sorted { $0.key < $1.key }.map { (key: $0.key, value: .int($0.value)) }))
        }
        return .object([
            "batches_accepted": .int(batchesAccepted),
            "records_accepted": .int(recordsAccepted),
            "rejected": object(rejected),
            "duplicates": .int(duplicates),
            "replays": .int(replays),
            "conflicts": .int(conflicts),
            "faults": object(faults),
            "requests": .int(requests),
            "batches_rejected": object(batchesRejected),
        ])
    }
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 9110 IMF-fixdate).
func httpDate(_ instant: Timestamp) -> String {
    let civil = instant.civilTime(offset: 0)
    let days = Int((instant.seconds - Int64(civil.hour * 3600 + civil.minute * 60 + civil.second)) / 86_400)
    let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    let weekday = weekdays[((days % 7) + 7) % 7]
    return "\(weekday), \(two(civil.day)) \(months[civil.month - 1]) \(civil.year) "
        + "\(two(civil.hour)):\(two(civil.minute)):\(two(civil.second)) GMT"
}
