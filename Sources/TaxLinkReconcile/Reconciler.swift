import Foundation
import TaxLinkCore
import TaxLinkStore

/// Runs the rules of `discrepancies.md` over everything stored and keeps the findings.
///
/// Reconciliation is a pure function of the stored data and `asOf`: the same data and the same `asOf` give
/// the same findings with the same ids, and re-running it changes nothing.
public struct Reconciler: Sendable {
    /// How reconciliation behaves.
    public struct Configuration: Sendable {
        /// The effective-dated withholding rates.
        public var rates: RateSchedule = .standard
        /// How long after completion a non-COD sale may go without a settlement (default 3 days).
        public var settlementGraceSeconds: Int64 = 3 * 86_400
        /// Who the automatic status changes are recorded as.
        public var actor = "reconciler"
        /// Threads that run the per-record rules while the database thread reads (1: all on the reader).
        public var workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        /// Records per batch handed to a worker.
        public var scanBatchSize = 2_048
        /// How many times a sync decides and writes again when the stored findings changed under it.
        public var syncAttempts = 3

        /// The defaults.
        public init() {}
    }

    private let storage: any FindingsStorage
    private let configuration: Configuration

    /// A reconciler over the data and findings of `storage`.
    public init(storage: any FindingsStorage, configuration: Configuration = Configuration()) {
        self.storage = storage
        self.configuration = configuration
    }

    /// The findings of the stored data at `asOf`, sorted by id, without storing them.
    public func findings(asOf: Timestamp) async throws -> [FindingContent] {
        try await compute(asOf: asOf).findings
    }

    private func compute(asOf: Timestamp) async throws -> ReconciliationPass.Outcome {
        let configuration = configuration
        return try await storage.withReconciliationSnapshot { snapshot in
            try ReconciliationPass.run(snapshot, asOf: asOf, configuration: configuration)
        }
    }

    /// The name of the exclusive run (``FindingsStorage/withExclusiveRun(_:_:)``) every reconciliation
    /// holds, so one process at a time reconciles a database.
    public static let exclusiveRunName = "reconcile"

    /// ``reconcile(asOf:)`` while holding the exclusive run ``exclusiveRunName``, or
    /// ``ExclusiveRun/held(holder:)`` (nothing done) when another process is reconciling.
    ///
    /// Only this run is incremental: when nothing it reads has changed since the last exclusive run (see
    /// ``Reconciler/step(_:asOf:configuration:incremental:)``), it reports what a full run would report
    /// (every finding unchanged) without computing or writing findings; otherwise it runs in full and
    /// leaves a mark for the next one.
    public func reconcileExclusively(asOf: Timestamp) async throws -> ExclusiveRun<ReconciliationSummary> {
        try await storage.withExclusiveRun(Self.exclusiveRunName) { [self] in
            try await run(asOf: asOf, incremental: true)
        }
    }

    /// Reconciles at `asOf` in full and stores the outcome: new findings open, vanished ones are resolved
    /// as superseded, reappearing ones reopen, and records whose latest revision no longer quarantines are
    /// released. (It forgets the mark of the last exclusive run, whose findings it may change.)
    ///
    /// Throws ``ReconcileError/concurrentChange(_:)`` when the stored findings kept changing under the sync
    /// (an analyst or another process) for ``Configuration/syncAttempts`` attempts.
    public func reconcile(asOf: Timestamp) async throws -> ReconciliationSummary {
        try await run(asOf: asOf, incremental: false)
    }

    private func run(asOf: Timestamp, incremental: Bool) async throws -> ReconciliationSummary {
        let clock = ContinuousClock()
        let started = clock.now
        let configuration = configuration
        let step = try await storage.withReconciliationSnapshot { snapshot in
            try Self.step(snapshot, asOf: asOf, configuration: configuration, incremental: incremental)
        }
        let computed = clock.now
        switch step {
        case .unchanged(var summary, var mark):
            if mark.asOf != asOf {
                // The same findings hold at `asOf`: the next run measures the grace from here.
                mark.asOf = asOf
                try await storage.setReconciliationMark(mark)
            }
            summary.computeDuration = computed - started
            summary.storeDuration = clock.now - computed
            return summary
        case .computed(let outcome, let inputs):
            if !incremental { try await storage.setReconciliationMark(nil) }
            let sync = try await sync(outcome.findings, at: asOf)
            let released = try await storage.releaseQuarantinedRecords(outcome.releases)
            var counts: [DiscrepancyCode: Int] = [:]
            for finding in outcome.findings { counts[finding.code, default: 0] += 1 }
            var summary = ReconciliationSummary(asOf: asOf, counts: counts, sync: sync, releasedRecords: released)
            if incremental {
                let found = sync.opened + sync.reopened + sync.updated + sync.unchanged
                try await storage.setReconciliationMark(
                    ReconciliationMark(inputs: inputs, asOf: asOf, summary: MarkSummary(counts: counts, found: found).text)
                )
            }
            summary.computeDuration = computed - started
            summary.storeDuration = clock.now - computed
            return summary
        }
    }

    /// Reads the stored versions, decides every write, and has the store apply them while the versions
    /// still hold; decides again on what changed meanwhile.
    private func sync(_ findings: [FindingContent], at: Timestamp) async throws -> FindingsSyncSummary {
        var attempt = 1
        while true {
            let stored = try await storage.findingVersions()
            let plan = FindingSync.plan(findings, stored: stored, at: at, actor: configuration.actor)
            do {
                try await storage.applyFindingWrites(plan.writes)
                return plan.summary
            } catch let error as FindingsStorageError where error.isConflict {
                guard attempt < configuration.syncAttempts else {
                    throw ReconcileError.concurrentChange(
                        "the findings kept changing during \(attempt) attempts to store them: \(error.message)"
                    )
                }
                attempt += 1
            }
        }
    }
}

/// What one reconciliation found and changed.
public struct ReconciliationSummary: Sendable, Hashable {
    /// The time the rules were applied at.
    public var asOf: Timestamp
    /// Findings per code (every status).
    public var counts: [DiscrepancyCode: Int]
    /// What storing the findings changed.
    public var sync: FindingsSyncSummary
    /// Quarantined records released because their latest revision no longer quarantines.
    public var releasedRecords: Int
    /// How long computing the findings took (not part of ``json``).
    public var computeDuration: Duration = .zero
    /// How long storing them took (not part of ``json``).
    public var storeDuration: Duration = .zero

    /// Every field, as named (durations zero).
    public init(asOf: Timestamp, counts: [DiscrepancyCode: Int], sync: FindingsSyncSummary, releasedRecords: Int) {
        self.asOf = asOf
        self.counts = counts
        self.sync = sync
        self.releasedRecords = releasedRecords
    }

    /// All findings.
    public var total: Int { counts.values.reduce(0, +) }

    /// `{"CODE": count, …}`, codes sorted, only those found.
    public var countsJSON: JSONValue {
        .object(JSONObject(counts.sorted { $0.key < $1.key }.map { (key: $0.key.rawValue, value: .int($0.value)) }))
    }

    /// The counts and what changed in the store.
    public var json: JSONValue {
        .object([
            "as_of": .string(asOf.iso8601),
            "counts": countsJSON,
            "total": .int(total),
            "opened": .int(sync.opened),
            "reopened": .int(sync.reopened),
            "updated": .int(sync.updated),
            "superseded": .int(sync.superseded),
            "unchanged": .int(sync.unchanged),
            "released_records": .int(releasedRecords),
        ])
    }
}
