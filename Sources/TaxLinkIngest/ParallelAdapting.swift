import TaxLinkAdapters
import TaxLinkCore
import TaxLinkStore

/// Adapts the items of one feed on every core and hands them to the batcher in feed order.
///
/// The feed's raw items (envelope items, NDJSON lines) are gathered into groups of ``groupSize``;
/// each group is parsed, adapted and prepared (flags, canonical body, content digest) in a child
/// task, and the groups are added to the batcher in the order they were read, each item's failure
/// where it occurred: the store sees exactly what a sequential read would give it, and the store's
/// single writer gets the whole of another core. The reader runs at most `2 × width` groups ahead,
/// so memory stays bounded whatever the feed's size.
struct ParallelAdapting<Unit: Sendable>: Sendable {
    /// Groups adapted at once (the number of cores).
    let width: Int
    /// Items adapted by one task.
    let groupSize: Int
    /// Parses, adapts and prepares one item; a thrown error fails the feed at that item.
    let prepare: @Sendable (Unit) throws(FeedError) -> PreparedItem

    init(width: Int, groupSize: Int = 64, prepare: @escaping @Sendable (Unit) throws(FeedError) -> PreparedItem) {
        self.width = max(1, width)
        self.groupSize = max(1, groupSize)
        self.prepare = prepare
    }

    /// Runs `read`, which emits the feed's items in order, and adds each item, prepared, to `batcher`.
    func run(
        into batcher: inout FeedBatcher,
        reading read: (_ emit: (Unit) async throws -> Void) async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Group.self) { tasks in
            var ordering = Ordering()
            var gathered: [Unit] = []
            try await read { unit in
                gathered.append(unit)
                guard gathered.count >= groupSize else { return }
                submit(gathered, as: ordering.next(), to: &tasks)
                gathered = []
                try await ordering.deliver(until: 2 * width, from: &tasks, into: &batcher)
            }
            if !gathered.isEmpty { submit(gathered, as: ordering.next(), to: &tasks) }
            try await ordering.deliver(until: 1, from: &tasks, into: &batcher)
        }
    }

    /// One group adapted: its number, its items up to the first failure, and that failure.
    struct Group: Sendable {
        let number: Int
        let items: [PreparedItem]
        let failure: FeedError?
    }

    private func submit(_ units: [Unit], as number: Int, to tasks: inout ThrowingTaskGroup<Group, any Error>) {
        let prepare = self.prepare
        tasks.addTask {
            var items: [PreparedItem] = []
            items.reserveCapacity(units.count)
            for unit in units {
                do throws(FeedError) {
                    items.append(try prepare(unit))
                } catch {
                    return Group(number: number, items: items, failure: error)
                }
            }
            return Group(number: number, items: items, failure: nil)
        }
    }

    /// The groups submitted and not yet handed on, delivered in their numbers' order.
    private struct Ordering {
        private var submitted = 0
        private var delivered = 0
        private var finished: [Int: Group] = [:]

        /// The number of the next group submitted.
        mutating func next() -> Int {
            defer { submitted += 1 }
            return submitted
        }

        /// Hands groups on in order until fewer than `limit` are outstanding.
        mutating func deliver(
            until limit: Int,
            from tasks: inout ThrowingTaskGroup<Group, any Error>,
            into batcher: inout FeedBatcher
        ) async throws {
            while submitted - delivered >= limit {
                if let group = finished.removeValue(forKey: delivered) {
                    for item in group.items { try await batcher.add(item) }
                    if let failure = group.failure { throw failure }
                    delivered += 1
                    continue
                }
                guard let group = try await tasks.next() else { return }
                finished[group.number] = group
            }
        }
    }
}
