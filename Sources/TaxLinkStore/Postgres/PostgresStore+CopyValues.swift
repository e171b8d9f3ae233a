import Foundation
import GRDB
import NIOCore
import PostgresNIO

/// The column types of the PostgreSQL schema, and how a SQLite value becomes one of them without
/// changing it: a value that would change (a fraction in a `bigint`, a 2 in a `boolean`, bytes
/// that are not UTF-8 in a `text`) is refused, never rounded or replaced.
enum CopyColumnType: String, Sendable, CaseIterable {
    case bigint
    case text
    case bytea
    case boolean
    case double = "double precision"

    /// The type of a column as `information_schema.columns.data_type` names it, or `nil`.
    init?(dataType: String) {
        self.init(rawValue: dataType)
    }

    /// `values` (one column of a chunk, `NULL` allowed) as one array parameter of this type.
    func bind(
        _ values: [DatabaseValue],
        into bindings: inout PostgresBindings,
        table: String,
        column: String
    ) throws {
        let convert = { (detail: String) in StoreCopyError.unconvertibleValue(table: table, column: column, detail) }
        switch self {
        case .bigint:
            bindings.append(PostgresNullableArray(try values.map { try $0.copiedInteger(convert) }))
        case .text:
            bindings.append(PostgresNullableArray(try values.map { try $0.copiedText(convert) }))
        case .bytea:
            bindings.append(PostgresNullableArray(try values.map { try $0.copiedBytes(convert) }))
        case .boolean:
            bindings.append(PostgresNullableArray(try values.map { try $0.copiedBoolean(convert) }))
        case .double:
            bindings.append(PostgresNullableArray(try values.map { try $0.copiedDouble(convert) }))
        }
    }
}

extension DatabaseValue {
    fileprivate typealias Refusal = (String) -> StoreCopyError

    fileprivate func copiedInteger(_ refuse: Refusal) throws -> Int64? {
        switch storage {
        case .null: return nil
        case .int64(let value): return value
        default: throw refuse("\(self) is not an integer")
        }
    }

    fileprivate func copiedText(_ refuse: Refusal) throws -> String? {
        switch storage {
        case .null: return nil
        case .string(let value): return value
        case .blob(let data):
            guard let text = String(data: data, encoding: .utf8) else { throw refuse("bytes that are not UTF-8 text") }
            return text
        case .int64, .double: throw refuse("\(self) is a number, not text")
        }
    }

    fileprivate func copiedBytes(_ refuse: Refusal) throws -> ByteBuffer? {
        switch storage {
        case .null: return nil
        case .blob(let data): return ByteBuffer(bytes: data)
        case .string(let text): return ByteBuffer(string: text)
        case .int64, .double: throw refuse("\(self) is a number, not bytes")
        }
    }

    fileprivate func copiedBoolean(_ refuse: Refusal) throws -> Bool? {
        switch storage {
        case .null: return nil
        case .int64(0): return false
        case .int64(1): return true
        default: throw refuse("\(self) is neither 0 nor 1")
        }
    }

    fileprivate func copiedDouble(_ refuse: Refusal) throws -> Double? {
        switch storage {
        case .null: return nil
        case .double(let value): return value
        case .int64(let value):
            let double = Double(value)
            guard Int64(exactly: double) == value else { throw refuse("\(value) has no exact double") }
            return double
        default: throw refuse("\(self) is not a number")
        }
    }
}
