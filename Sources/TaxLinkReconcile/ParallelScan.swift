import Foundation
import TaxLinkCore
import TaxLinkStore

/// Spreads the per-record pass over worker threads.
///
/// The read transaction lives on the database's own thread, which steps through the narrow rows of the records
/// (``TaxLinkStore/RecordFacts``, never a body) and copies them into batches, looking up each sale's settled
/// amount on the way;
/// each worker runs ``ReconciliationPass/visit(_:facts:settled:)`` over the batches it takes, into a pass of its own. The passes are merged afterwards, and everything that
/// depends on order is sorted, so the outcome is the same as a single pass. Threads rather than tasks: the
/// producer must stay inside the synchronous read transaction, and the work is CPU-bound.
enum ParallelScan {
    /// The passes over every latest record, and the slots of the settled orders whose sale they met.
    static func run(
        _ snapshot: any ReconciliationSnapshot,
        settlements: SettlementIndex,
        workers: Int,
        batchSize: Int,
        makePass: () -> ReconciliationPass
    ) throws -> (passes: [ReconciliationPass], settledSales: Set<Int>) {
        var settledSales = Set<Int>()
        func settled(_ row: LatestRecordRow) -> Int64? {
            guard row.kind == .sale, let order = settlements.settled(platform: row.platform, orderID: row.externalID)
            else { return nil }
            settledSales.insert(order.slot)
            return order.amount
        }
        guard workers > 1 else {
            var pass = makePass()
            try snapshot.forEachLatestFacts { row, facts in
                pass.visit(row, facts: facts, settled: settled(row))
            }
            return ([pass], settledSales)
        }
        let queue = BatchQueue(capacity: workers * 2)
        let boxes = (0..<workers).map { _ in WorkerBox(pass: makePass()) }
        let finished = Countdown(count: workers)
        for box in boxes {
            let thread = Thread {
                box.work(queue)
                finished.arrive()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        var batch = Batch(capacity: batchSize)
        do {
            try snapshot.forEachLatestFacts { row, facts in
                batch.rows.append((row, facts, settled(row)))
                if batch.rows.count >= batchSize {
                    queue.put(batch)
                    batch = Batch(capacity: batchSize)
                }
            }
            if !batch.rows.isEmpty { queue.put(batch) }
        } catch {
            queue.close()
            finished.wait()
            throw error
        }
        queue.close()
        finished.wait()
        return (boxes.map(\.pass), settledSales)
    }
}

/// Rows copied out of the database: their identity and narrow columns, and each sale's settled amount.
private struct Batch: Sendable {
    var rows: [(row: LatestRecordRow, facts: RecordFacts?, settled: Int64?)] = []

    init(capacity: Int) {
        rows.reserveCapacity(capacity)
    }
}

/// One worker's pass; read only after the worker has finished. A record the pass cannot reconcile becomes
/// a finding, so a worker never fails.
private final class WorkerBox: @unchecked Sendable {
    var pass: ReconciliationPass

    init(pass: ReconciliationPass) {
        self.pass = pass
    }

    func work(_ queue: BatchQueue) {
        while let batch = queue.take() {
            for (row, facts, settled) in batch.rows { pass.visit(row, facts: facts, settled: settled) }
        }
    }
}

/// A bounded queue of batches between the reader and the workers.
private final class BatchQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Batch] = []
    private var closed = false
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Waits for room and adds `batch` (dropped once the queue is closed).
    func put(_ batch: Batch) {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !closed { condition.wait() }
        guard !closed else { return }
        items.append(batch)
        condition.broadcast()
    }

    /// The next batch, or `nil` once the queue is closed and empty.
    func take() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        guard !items.isEmpty else { return nil }
        let batch = items.removeFirst()
        condition.broadcast()
        return batch
    }

    /// No more batches will come (or the reader failed): wakes everyone.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Waits until a number of workers have arrived.
private final class Countdown: @unchecked Sendable {
    private let condition = NSCondition()
    private var remaining: Int

    init(count: Int) {
        remaining = count
    }

    func arrive() {
        condition.lock()
        remaining -= 1
        condition.broadcast()
        condition.unlock()
    }

    func wait() {
        condition.lock()
        while remaining > 0 { condition.wait() }
        condition.unlock()
    }
}
