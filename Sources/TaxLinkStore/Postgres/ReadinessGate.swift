import NIOConcurrencyHelpers

/// Holds calls back until the store is open, then lets them through, or fails them all with the
/// reason it could not open.
final class ReadinessGate: Sendable {
    private enum State {
        case pending([CheckedContinuation<Void, any Error>])
        case open
        case failed(any Error)
    }

    private let state = NIOLockedValueBox(State.pending([]))

    /// Returns once the gate is open; throws the failure once it has failed.
    func wait() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let result: Result<Void, any Error>? = state.withLockedValue { state in
                switch state {
                case .pending(var waiting):
                    waiting.append(continuation)
                    state = .pending(waiting)
                    return nil
                case .open:
                    return .success(())
                case .failed(let error):
                    return .failure(error)
                }
            }
            if let result { continuation.resume(with: result) }
        }
    }

    /// Lets every waiting and later call through.
    func open() {
        resolve(.open).forEach { $0.resume() }
    }

    /// Fails every waiting and later call with `error`; a gate that has already failed keeps its
    /// first error.
    func fail(_ error: any Error) {
        resolve(.failed(error)).forEach { $0.resume(throwing: error) }
    }

    private func resolve(_ next: State) -> [CheckedContinuation<Void, any Error>] {
        state.withLockedValue { state in
            switch state {
            case .pending(let waiting):
                state = next
                return waiting
            case .open:
                state = next
                return []
            case .failed:
                return []
            }
        }
    }
}
