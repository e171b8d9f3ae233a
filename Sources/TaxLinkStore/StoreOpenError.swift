/// Why a store could not be opened, with a message a person can act on.
public struct StoreOpenError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case missing
        case lockFile
    }

    private let code: Code
    /// What is wrong and what to do.
    public let message: String

    /// The database does not exist and the store was opened without creating it.
    public static func missing(_ path: String) -> StoreOpenError {
        StoreOpenError(
            code: .missing,
            message:
                "no database at \(path); give the right --database, or create one with `taxlink ingest` or `taxlink serve`"
        )
    }

    /// The lock file of an exclusive run beside the database could not be opened or locked.
    public static func lockFile(_ path: String, errno code: Int32) -> StoreOpenError {
        StoreOpenError(
            code: .lockFile,
            message: "cannot lock \(path) (errno \(code)); check that the database's folder is writable by this user"
        )
    }

    /// Whether this is the error of a missing database.
    public var isMissingDatabase: Bool { code == .missing }

    public var description: String { message }
}
