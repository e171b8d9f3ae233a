import Crypto
import Foundation
import Testing
import X509

@testable import TaxLinkSigning

@Suite struct SigningSupportTests {
    @Test func contentDigestFollowsRFC9530() {
        let body = Array("abc".utf8)
        #expect(ContentDigest.header(for: body) == "sha-256=:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=:")
        #expect(
            ContentDigest.sha256Hex(body) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
        #expect(ContentDigest.verify(header: ContentDigest.header(for: body), body: body))
        #expect(ContentDigest.verify(header: "sha-512=:AAAA:, " + ContentDigest.header(for: body), body: body))
        #expect(!ContentDigest.verify(header: ContentDigest.header(for: body), body: Array("abd".utf8)))
        #expect(!ContentDigest.verify(header: "sha-512=:AAAA:", body: body))
        #expect(!ContentDigest.verify(header: "sha-256=ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=", body: body))
        #expect(!ContentDigest.verify(header: "", body: body))
    }

    @Test func base64URLIsStrict() {
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
        #expect(Base64URL.decode("-_8=") == nil)
        #expect(Base64URL.decode("+/8") == nil)
        #expect(Base64URL.decode("-_9") == nil)  // non-canonical trailing bits
        #expect(Base64URL.decode("A") == nil)
        #expect(Base64URL.decode("") == [])
    }

    @Test func theSenderCertificateCarriesTheTaxCode() throws {
        let pki = try DevelopmentPKI.generate(taxCode: "0312345673-001")
        #expect(taxCode(of: pki.senderIdentity.leaf) == "0312345673-001")
        #expect(taxCode(of: pki.ministryIdentity.leaf) == nil)
        #expect(taxCode(of: pki.caCertificate) == nil)
        #expect("\(pki.ministryIdentity.leaf.subject)".contains("CN=Mock Ministry"))
        #expect(throws: KeyMaterialError.self) { try DevelopmentPKI.generate(taxCode: "") }
    }

    @Test func theCertificatesHaveTheirExtensions() throws {
        let pki = try DevelopmentPKI.generate(taxCode: "0100109106")
        #expect(try pki.caCertificate.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(try pki.caCertificate.extensions.keyUsage?.keyCertSign == true)
        for leaf in [pki.senderIdentity.leaf, pki.ministryIdentity.leaf] {
            #expect(try leaf.extensions.basicConstraints == .notCertificateAuthority)
            #expect(try leaf.extensions.keyUsage?.digitalSignature == true)
            #expect(leaf.issuer == pki.caCertificate.subject)
        }
    }

    @Test func writtenFilesLoadBack() async throws {
        let pki = try DevelopmentPKI.generate(taxCode: "0100109106")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pki-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try pki.write(to: directory)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(
            names == [
                "ca-key.pem", "ca.pem", "ministry-chain.pem", "ministry-key.pem", "sender-chain.pem", "sender-key.pem",
            ]
        )
        func read(_ name: String) throws -> String {
            try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        }
        let sender = try SigningIdentity.load(keyPEM: read("sender-key.pem"), chainPEM: read("sender-chain.pem"))
        #expect(sender.chain == pki.senderIdentity.chain)
        let anchors = try DevelopmentPKI.loadCertificates(pem: read("ca.pem"))
        #expect(anchors == [pki.caCertificate])
        let body = Array("{}".utf8)
        let jws = try DetachedJWS.sign(payload: body, identity: sender)
        #expect(try await DetachedJWS.verify(jws, payload: body, trustAnchors: anchors) == pki.senderIdentity.leaf)
        let attributes = try FileManager.default.attributesOfItem(
            atPath: directory.appendingPathComponent("sender-key.pem").path
        )
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        // A key that does not belong to the chain's leaf is refused.
        #expect(throws: KeyMaterialError.self) {
            try SigningIdentity.load(keyPEM: read("ministry-key.pem"), chainPEM: read("sender-chain.pem"))
        }
        #expect(throws: KeyMaterialError.self) {
            try SigningIdentity.load(keyPEM: read("sender-key.pem"), chainPEM: "")
        }
    }

    /// A keys folder made beforehand with a wide mode is narrowed to 0700 (before, it stayed 0755);
    /// the folder above it keeps its mode.
    @Test(arguments: [0o755, 0o750, 0o701, 0o700])
    func anExistingKeysFolderIsMadePrivate(mode: Int) throws {
        let pki = try DevelopmentPKI.generate(taxCode: "0100109106")
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("pki-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: parent) }
        let directory = parent.appendingPathComponent("keys")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: parent.path)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: directory.path)
        try pki.write(to: directory)
        func mode(of url: URL) throws -> Int? {
            try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
        }
        #expect(try mode(of: directory) == 0o700)
        #expect(try mode(of: parent) == 0o755)
    }

    static let openssl: String? = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/opt/homebrew/bin/openssl"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs everywhere: without openssl it fails and says how to install it, it never skips.
    @Test func opensslVerifiesTheWrittenCertificates() throws {
        try #require(
            Self.openssl != nil,
            "openssl is missing (looked in /usr/bin, /usr/local/bin, /opt/homebrew/bin); install it with `apt-get install openssl` (macOS: `brew install openssl`)"
        )
        let pki = try DevelopmentPKI.generate(taxCode: "0100109106")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pki-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try pki.write(to: directory)
        for chain in ["sender-chain.pem", "ministry-chain.pem"] {
            let text = try String(contentsOf: directory.appendingPathComponent(chain), encoding: .utf8)
            let leaf = try #require(try DevelopmentPKI.loadCertificates(pem: text).first)
            let leafFile = directory.appendingPathComponent("leaf-\(chain)")
            try Data(try CertificatePEM.pem([leaf]).utf8).write(to: leafFile)
            let result = try run(["verify", "-CAfile", directory.appendingPathComponent("ca.pem").path, leafFile.path])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains(": OK"), "\(result.output)")
        }
        let subject = try run([
            "x509", "-noout", "-subject", "-nameopt", "RFC2253",
            "-in", directory.appendingPathComponent("sender-chain.pem").path,
        ])
        #expect(subject.output.contains("UID=MST:0100109106"), "\(subject.output)")
        let key = try run(["pkey", "-noout", "-in", directory.appendingPathComponent("sender-key.pem").path])
        #expect(key.status == 0, "\(key.output)")
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.openssl ?? "openssl")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
