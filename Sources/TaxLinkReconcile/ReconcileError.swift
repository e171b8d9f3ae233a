/// Why reconciliation, a report or a status change could not be done.
public struct ReconcileError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case corruptRecord
        case invalidArgument
        case notFound
        case invalidTransition
        case concurrentChange
        case corruptFinding
    }

    private let code: Code
    /// What went wrong, for a person.
    public let message: String

    /// A stored record that cannot be read.
    static func corruptRecord(_ message: String) -> ReconcileError {
        ReconcileError(code: .corruptRecord, message: "stored record: \(message)")
    }

    /// A filter, format, status or note that is not acceptable.
    public static func invalidArgument(_ message: String) -> ReconcileError {
        ReconcileError(code: .invalidArgument, message: message)
    }

    /// No finding with that id.
    public static func notFound(_ message: String) -> ReconcileError {
        ReconcileError(code: .notFound, message: message)
    }

    /// The workflow does not allow that status change.
    public static func invalidTransition(_ message: String) -> ReconcileError {
        ReconcileError(code: .invalidTransition, message: message)
    }

    /// Someone else changed the finding between reading it and writing the change; reading it again and
    /// retrying decides on its new state.
    public static func concurrentChange(_ message: String) -> ReconcileError {
        ReconcileError(code: .concurrentChange, message: message)
    }

    /// A stored finding that cannot be read back.
    static func corruptFinding(_ message: String) -> ReconcileError {
        ReconcileError(code: .corruptFinding, message: "stored finding: \(message)")
    }

    /// Whether the caller passed something unacceptable (HTTP 400).
    public var isInvalidArgument: Bool { code == .invalidArgument }
    /// Whether the finding does not exist (HTTP 404).
    public var isNotFound: Bool { code == .notFound }
    /// Whether the status change is not allowed from the current status (HTTP 409).
    public var isInvalidTransition: Bool { code == .invalidTransition }
    /// Whether the finding changed concurrently (HTTP 409).
    public var isConcurrentChange: Bool { code == .concurrentChange }

    public var description: String { message }
}
