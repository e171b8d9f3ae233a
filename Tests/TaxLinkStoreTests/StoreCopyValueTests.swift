import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import TaxLinkStore

/// A copy moves each SQLite value into its PostgreSQL column unchanged, or refuses it: never rounds,
/// truncates or replaces a value.
@Suite struct StoreCopyValueTests {
    @Test(arguments: [
        (CopyColumnType.bigint, 1.5.databaseValue),
        (.bigint, "12".databaseValue),
        (.boolean, Int64(2).databaseValue),
        (.boolean, "true".databaseValue),
        (.text, Data([0x61, 0xFF]).databaseValue),
        (.text, Int64(7).databaseValue),
        (.bytea, Int64(7).databaseValue),
        (.double, Int64.max.databaseValue),
        (.double, "0.5".databaseValue),
    ])
    func refusesAValueThatWouldChange(type: CopyColumnType, value: DatabaseValue) throws {
        var bindings = PostgresBindings()
        let error = #expect(throws: StoreCopyError.self) {
            try type.bind([.null, value], into: &bindings, table: "records", column: "revision")
        }
        #expect(error?.message.hasPrefix("records.revision: ") == true)
    }

    @Test(arguments: [
        (CopyColumnType.bigint, Int64.min.databaseValue),
        (.boolean, Int64(1).databaseValue),
        (.text, Data("đồng".utf8).databaseValue),
        (.bytea, "abc".databaseValue),
        (.double, Int64(1 << 52).databaseValue),
        (.double, 7.5.databaseValue),
    ])
    func bindsAValueThatFitsAndNulls(type: CopyColumnType, value: DatabaseValue) throws {
        var bindings = PostgresBindings()
        try type.bind([value, .null], into: &bindings, table: "t", column: "c")
        #expect(bindings.count == 1)
    }
}
