import Foundation
import MinistryMock
import TaxLinkCore
import TaxLinkOutbox
import TaxLinkSigning
import TaxLinkStore
import TestSupport
import Testing

/// The operator's command line, run as the real binary (found beside the test bundle or built).
@Suite("Command line", .serialized)
struct CommandLineTests {
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taxlink-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test(arguments: [
        ["records"], ["outbox", "status"], ["outbox", "list"], ["outbox", "verify"], ["reconcile"],
        ["report", "discrepancies"], ["upload", "--until-empty", "--ministry-url", "http://127.0.0.1:1"],
    ])
    func readCommandsRefuseAMissingDatabase(command: [String]) async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("missing/taxlink.sqlite")
        let result = try await TaxLinkBinary.run(command + ["--database", "sqlite:" + database.path], in: folder)
        #expect(result.status != 0)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains("no database at \(database.path)"), "\(result.standardError)")
        #expect(result.standardError.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: database.deletingLastPathComponent().path))
    }

    @Test(arguments: ["mysql://x", "taxlink.sqlite", "file:/tmp/x.sqlite"])
    func anUnknownSchemeNamesTheAcceptedForms(url: String) async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await TaxLinkBinary.run(["outbox", "status", "--database", url], in: folder)
        #expect(result.status != 0)
        #expect(result.standardError.contains("sqlite:PATH"))
        #expect(result.standardError.contains("postgres://USER[:PASSWORD]@HOST[:PORT]/DB"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func anUnreachablePostgresIsOneLine() async throws {
        // Port 1 on loopback: nothing listens there.
        let result = try await TaxLinkBinary.run(["records", "--database", "postgres://u:secret-pw@127.0.0.1:1/db"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("the database at 127.0.0.1:1 does not answer"))
        #expect(!result.standardError.contains("secret-pw"))
    }

    @Test func ingestCreatesAMissingDatabase() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("new/taxlink.sqlite")
        let feed = TaxLinkBinary.packageRoot.appendingPathComponent("mocks/feeds/shopee-orders.json")
        let result = try await TaxLinkBinary.run([
            "ingest", "shopee/orders", feed.path, "--database", "sqlite:" + database.path,
            "--received-at", "2026-02-10T02:00:00Z",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(FileManager.default.fileExists(atPath: database.path))
    }

    /// With no key anywhere (an empty working folder), `outbox verify` and `outbox evidence` work
    /// from what the database kept.
    @Test func verifyAndEvidenceNeedNoKey() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(2)
        try await fixture.uploadUntilEmpty()
        let batch = try #require(try await fixture.store.batches(state: .delivered, limit: 1).first)
        let empty = fixture.folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let database = "sqlite:" + fixture.folder.appendingPathComponent("taxlink.sqlite").path
        let verify = try await TaxLinkBinary.run(
            ["outbox", "verify", "--database", database],
            in: empty,
            environment: [:]
        )
        #expect(verify.status == 0, "\(verify.standardError)")
        #expect(verify.standardOutput.contains(#""problems":[]"#))
        let out = fixture.folder.appendingPathComponent("evidence")
        let evidence = try await TaxLinkBinary.run(
            ["outbox", "evidence", batch.id, "--out", out.path, "--database", database],
            in: empty,
            environment: [:]
        )
        #expect(evidence.status == 0, "\(evidence.standardError)")
        for file in [
            "batch.json", "batch.jws", "sender-chain.pem", "receipt.json", "receipt.jws", "receipts.json",
            "ministry-trust.pem",
        ] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file)")
        }
        #expect(try Data(contentsOf: out.appendingPathComponent("batch.json")) == Data(batch.body))
    }

    @Test func keysInitWritesPrivateKeysPrivatelyAndNeverReplacesThemSilently() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = folder.appendingPathComponent("keys")
        let command = ["keys", "init", keys.path, "--tax-code", "0100233488"]
        let first = try await TaxLinkBinary.run(command, shell: "umask 000;")
        #expect(first.status == 0, "\(first.standardError)")
        func mode(_ name: String) throws -> Int {
            let path = name.isEmpty ? keys.path : keys.appendingPathComponent(name).path
            return try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        }
        #expect(try mode("") == 0o700)
        for key in ["ca-key.pem", "sender-key.pem", "ministry-key.pem"] { #expect(try mode(key) == 0o600, "\(key)") }
        for certificate in ["ca.pem", "sender-chain.pem", "ministry-chain.pem"] {
            #expect(try mode(certificate) == 0o644)
        }
        let original = try Data(contentsOf: keys.appendingPathComponent("sender-key.pem"))

        let again = try await TaxLinkBinary.run(command, shell: "umask 000;")
        #expect(again.status != 0)
        #expect(again.standardError.contains("--force"))
        #expect(try Data(contentsOf: keys.appendingPathComponent("sender-key.pem")) == original)

        let forced = try await TaxLinkBinary.run(command + ["--force"], shell: "umask 000;")
        #expect(forced.status == 0, "\(forced.standardError)")
        #expect(try Data(contentsOf: keys.appendingPathComponent("sender-key.pem")) != original)
        #expect(try mode("sender-key.pem") == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: keys.path).count == 6)
    }

    /// The arguments naming a database, a ministry and the keys in `keys`.
    static func uploaderArguments(_ fixture: OutboxFixture, port: Int, keys: URL) -> [String] {
        [
            "--database", "sqlite:" + fixture.folder.appendingPathComponent("taxlink.sqlite").path,
            "--ministry-url", "http://127.0.0.1:\(port)",
            "--signing-key", keys.appendingPathComponent("sender-key.pem").path,
            "--signing-chain", keys.appendingPathComponent("sender-chain.pem").path,
            "--ministry-trust", keys.appendingPathComponent("ca.pem").path,
        ]
    }

    @Test func uploadExitsNonZeroAndSaysWhyWhenBatchesGoDead() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(1)
        let keys = fixture.folder.appendingPathComponent("stranger-keys")
        try DevelopmentPKI.generate(taxCode: "0100233488").write(to: keys)
        let result = try await fixture.withMinistry { port in
            try await TaxLinkBinary.run(
                ["upload", "--until-empty"] + Self.uploaderArguments(fixture, port: port, keys: keys)
            )
        }
        #expect(result.status != 0)
        #expect(result.standardError.contains("1 batch(es) went dead"), "\(result.standardError)")
        #expect(result.standardError.contains("HTTP 401"))
        #expect(try await fixture.count(.dead) == 1)
    }

    @Test(arguments: [true, false])
    func serveExitsZeroOnSIGTERM(withUploader: Bool) async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(3)
        let keys = fixture.folder.appendingPathComponent("keys")
        try fixture.pki.write(to: keys)
        let result = try await fixture.withMinistry { port in
            var arguments = Self.uploaderArguments(fixture, port: port, keys: keys)
            if !withUploader { arguments.append("--no-upload") }
            let (serve, _) = try await RunningTaxLink.serve(
                arguments,
                environment: ["TAXLINK_TOKENS": "t1 operator", "LOG_LEVEL": "error"]
            )
            serve.send(SIGTERM)
            return await serve.finished()
        }
        #expect(result.reason == .exit)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try await fixture.count(.sending) == 0)
    }
}
