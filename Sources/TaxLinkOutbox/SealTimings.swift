/// How long a sealer was at work and what it sealed, summed over every round (for benchmarks:
/// sealing runs beside sending, so its time is not the uploader's).
public actor SealTimings {
    /// The time spent sealing: reading the records, building, digesting, signing and storing batches.
    public private(set) var sealing: Duration = .zero
    /// The records sealed into batches.
    public private(set) var records = 0
    /// The batches sealed.
    public private(set) var batches = 0

    public init() {}

    func add(_ duration: Duration, batches: Int, records: Int) {
        sealing += duration
        self.batches += batches
        self.records += records
    }
}
