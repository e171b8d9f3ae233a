/// PostgreSQL answered an outbox statement with something it cannot answer (a broken server or proxy).
struct PostgresOutboxError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case noReceiptID
    }

    private let code: Code
    /// What went wrong and what to check.
    let message: String

    /// An `INSERT … RETURNING id` of a receipt returned no row.
    static let noReceiptID = PostgresOutboxError(
        code: .noReceiptID,
        message: "PostgreSQL stored a receipt but returned no id for it; check the server and any proxy in between"
    )

    var description: String { message }
}
