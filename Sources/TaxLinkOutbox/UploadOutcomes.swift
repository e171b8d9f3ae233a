/// What went wrong while an uploader ran, for the operator's summary (`taxlink upload` exits
/// non-zero and names the dead batches).
public actor UploadOutcomes {
    /// A batch that went dead, and why.
    public struct DeadBatch: Sendable, Hashable {
        /// The id of the batch.
        public var batchID: String
        /// Why it went dead (the last error, or the verdict that ended its retries).
        public var reason: String
    }

    /// The batches that went dead, in order.
    public private(set) var dead: [DeadBatch] = []
    /// How many answers were 409 (the same batch id seen with other bytes).
    public private(set) var conflicts = 0
    /// How many receipts failed verification (each kept as evidence).
    public private(set) var refusedReceipts = 0

    /// No outcomes yet; the uploader records them as it runs.
    public init() {}

    func recordDead(_ batchID: String, reason: String) {
        dead.append(DeadBatch(batchID: batchID, reason: reason))
    }

    func recordConflict() { conflicts += 1 }

    func recordRefusedReceipt() { refusedReceipts += 1 }
}
