import Foundation
import TestSupport
import Testing

@testable import TaxLinkStore

/// `taxlink db copy` through the built binary.
@Suite struct DbCopyCommandTests {
    @Test func copiesPrintsTheCountsAndRefusesASecondCopy() async throws {
        try await StoreFixture.withSQLiteURL { source, path in
            try await OutboxSamples.store(
                [OutboxSamples.sale("A"), OutboxSamples.sale("B")],
                at: 100,
                in: try SQLiteStore(path: path)
            )
            try await StoreFixture.withPostgresDatabase { endpoint in
                let arguments = ["db", "copy", "--from", source.description, "--to", endpoint.description]
                let environment = ProcessInfo.processInfo.environment
                let copy = try await TaxLinkBinary.run(arguments, environment: environment)
                #expect(copy.status == 0, "\(copy.standardError)")
                let printed = try JSONSerialization.jsonObject(with: Data(copy.standardOutput.utf8)) as? [String: Any]
                let tables = try #require(printed?["tables"] as? [[String: Any]])
                #expect(tables.map { $0["table"] as? String } == StoreCopy.tables)
                let records = try #require(tables.first { $0["table"] as? String == "records" })
                #expect(records["source"] as? Int == 2 && records["target"] as? Int == 2)
                #expect(copy.standardError.contains("records: 2 row(s) in \(source), 2 in \(endpoint)"))

                let again = try await TaxLinkBinary.run(arguments, environment: environment)
                #expect(again.status != 0)
                #expect(again.standardError.contains("the target database already holds data"))
            }
        }
    }

    @Test(arguments: [
        (
            ["--from", "postgres://u@127.0.0.1/a", "--to", "postgres://u@127.0.0.1/b"],
            "--from: a copy reads an embedded store"
        ),
        (
            ["--from", "sqlite:/nonexistent/taxlink.sqlite", "--to", "sqlite:/tmp/b.sqlite"],
            "--to: a copy writes to PostgreSQL"
        ),
        (["--from", "sqlite:/nonexistent/taxlink.sqlite", "--to", "postgres://u@127.0.0.1/b"], "no database at"),
        (["--from", "mysql://x", "--to", "postgres://u@127.0.0.1/b"], "--from: the value is not a database URL"),
        (["--from", "sqlite:/tmp/a.sqlite", "--to", "postgres://127.0.0.1/b"], "--to: no user name"),
    ])
    func refusesWhatItCannotCopy(arguments: [String], message: String) async throws {
        let result = try await TaxLinkBinary.run(
            ["db", "copy"] + arguments,
            environment: ProcessInfo.processInfo.environment
        )
        #expect(result.status != 0)
        #expect(result.standardError.contains(message), "\(result.standardError)")
    }
}
