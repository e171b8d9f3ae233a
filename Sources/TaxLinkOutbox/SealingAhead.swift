import ServiceLifecycle
import Synchronization

/// Sealing in a task of its own, beside the sender, so the sender never waits for it while there is
/// something to send: the sender asks for a run every round (``request()``), and a run seals batch
/// after batch until nothing is ready — while one batch is in flight, the next ones are sealed.
///
/// When nothing is due and a run it asked for has not ended, the sender waits for that run's next
/// batch (``waitForSealing()``) rather than idling. A run that fails hands its error to the sender
/// (``rethrowFailure()``), whose round fails as it did when it sealed itself. Sealing stays atomic
/// per batch, so a run cut short (shutdown, cancellation, a failing database) leaves every record
/// sealed once or not at all.
final class SealingAhead: Sendable {
    private struct State {
        /// Requests made so far.
        var requested = 0
        /// The requests served by runs that ended: those made before the last ended run began.
        var served = 0
        /// Whether ``run()`` has ended (no request will be served any more).
        var closed = false
        /// Senders waiting for the next batch or the end of the run.
        var waiters: [CheckedContinuation<Void, Never>] = []
        /// Why the last run stopped early, until the sender takes it.
        var failure: (any Error)?

        var sealing: Bool { !closed && served < requested }
    }

    private let sealer: Sealer
    private let requests: AsyncStream<Void>
    private let requestsContinuation: AsyncStream<Void>.Continuation
    private let state = Mutex(State())

    init(sealer: Sealer) {
        self.sealer = sealer
        // Requests made during a run make one more run, however many they are.
        (requests, requestsContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a sealing run; a run serves every request made before it began.
    func request() {
        state.withLock { $0.requested += 1 }
        requestsContinuation.yield()
    }

    /// Throws the error that stopped the last run, once.
    func rethrowFailure() throws {
        if let failure = state.withLock({ state in
            defer { state.failure = nil }
            return state.failure
        }) {
            throw failure
        }
    }

    /// Returns once a run the sender asked for seals a batch or ends, at once when none is under way.
    func waitForSealing() async {
        await withCheckedContinuation { continuation in
            let waiting = state.withLock { state in
                guard state.sealing else { return false }
                state.waiters.append(continuation)
                return true
            }
            if !waiting { continuation.resume() }
        }
    }

    /// Makes the runs asked for until ``finish()`` (after the run under way), the task is cancelled,
    /// or a graceful shutdown begins.
    func run() async {
        for await _ in requests {
            let serving = state.withLock { $0.requested }
            await sealUntilNothingIsReady()
            wakeWaiters { $0.served = max($0.served, serving) }
        }
        wakeWaiters { $0.closed = true }
    }

    /// Ends ``run()`` once the run under way, if any, has ended.
    func finish() {
        requestsContinuation.finish()
    }

    private func sealUntilNothingIsReady() async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                guard !(try await sealer.sealNext()).isEmpty else { return }
            } catch {
                if !Task.isCancelled { state.withLock { $0.failure = error } }
                return
            }
            wakeWaiters { _ in }
        }
    }

    /// Applies `change` to the state and resumes every waiting sender.
    private func wakeWaiters(_ change: (inout State) -> Void) {
        let waiters = state.withLock { state in
            change(&state)
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
