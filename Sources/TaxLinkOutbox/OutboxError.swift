/// A problem with the outbox's setup or data, with a message an operator can act on.
public struct OutboxError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case configuration
        case unknownBatch
        case corrupt
    }

    private let code: Code
    /// What is wrong and what to do about it.
    public let message: String

    /// The ``message``.
    public var description: String { message }

    /// Keys, certificates or URLs that cannot be used.
    public static func configuration(_ message: String) -> OutboxError {
        OutboxError(code: .configuration, message: message)
    }
    /// No batch with that id.
    public static func unknownBatch(_ id: String) -> OutboxError {
        OutboxError(code: .unknownBatch, message: "no batch '\(id)' in the outbox")
    }
    /// Stored data that does not read back.
    public static func corrupt(_ message: String) -> OutboxError { OutboxError(code: .corrupt, message: message) }
}
