/// How long the uploader waited on the ministry, summed over every request (for benchmarks).
public actor UploadTimings {
    /// The total wait.
    public private(set) var waiting: Duration = .zero
    /// The requests made.
    public private(set) var requests = 0

    public init() {}

    func add(_ wait: Duration) {
        waiting += wait
        requests += 1
    }
}
