/// Why ``StoreCopy`` copied nothing: the copy runs in one PostgreSQL transaction, so after any of
/// these the target is as it was before.
public struct StoreCopyError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case targetNotEmpty
        case schemaMismatch
        case unconvertibleValue
        case countMismatch
    }

    private let code: Code
    /// What is wrong and what to do.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The target already holds rows in `tables`.
    static func targetNotEmpty(_ tables: [String]) -> StoreCopyError {
        StoreCopyError(
            .targetNotEmpty,
            "the target database already holds data (tables \(tables.joined(separator: ", "))); "
                + "copy into a new, empty database"
        )
    }

    /// The two stores do not have the same tables or columns (one of them from another build).
    static func schemaMismatch(_ detail: String) -> StoreCopyError {
        StoreCopyError(
            .schemaMismatch,
            "the source and target schemas differ: \(detail); run `taxlink db migrate` on both with this build"
        )
    }

    /// A stored value that the target's column cannot hold as it is.
    static func unconvertibleValue(table: String, column: String, _ detail: String) -> StoreCopyError {
        StoreCopyError(.unconvertibleValue, "\(table).\(column): \(detail); nothing was copied")
    }

    /// The rows counted on the two sides after the copy differ (nothing was committed).
    static func countMismatch(_ table: String, source: Int64, target: Int64) -> StoreCopyError {
        StoreCopyError(
            .countMismatch,
            "\(table): \(source) row(s) in the source but \(target) in the target after copying; nothing was committed"
        )
    }

    /// Whether the target held data, so nothing was copied.
    public var isTargetNotEmpty: Bool { code == .targetNotEmpty }

    /// The ``message``.
    public var description: String { message }
}
