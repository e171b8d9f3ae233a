import TaxLinkReconcile

/// What a bulk status change did: the findings moved, and those that could not be, each with why.
public struct BulkOutcome: Sendable {
    /// One finding that was not changed.
    public struct Failure: Sendable, Hashable {
        /// The finding's id.
        public var id: String
        /// Why it was not changed, in words a person can act on.
        public var reason: String

        /// A failure of finding `id`.
        public init(id: String, reason: String) {
            self.id = id
            self.reason = reason
        }
    }

    /// The status the findings were moved to.
    public var target: FindingStatus
    /// The ids of the findings changed.
    public var changed: [String]
    /// The findings not changed.
    public var failures: [Failure]
    /// How many matching findings were left for another round (the bulk change of a filter takes at
    /// most ``BulkOutcome/maximumPerRequest`` at a time).
    public var remaining: Int
    /// The filters of the list to go back to, as URL parameters.
    public var filters: [(name: String, value: String)]

    /// The most findings one bulk request changes.
    public static let maximumPerRequest = 1_000

    /// An outcome, as named.
    public init(
        target: FindingStatus,
        changed: [String],
        failures: [Failure],
        remaining: Int = 0,
        filters: [(name: String, value: String)]
    ) {
        self.target = target
        self.changed = changed
        self.failures = failures
        self.remaining = remaining
        self.filters = filters
    }
}
