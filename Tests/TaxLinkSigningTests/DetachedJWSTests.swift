import Crypto
import Foundation
import SwiftASN1
import Testing
import X509

@testable import TaxLinkSigning

@Suite struct DetachedJWSTests {
    static let pki: DevelopmentPKI = {
        do { return try DevelopmentPKI.generate(taxCode: "0100109106") } catch { preconditionFailure("\(error)") }
    }()
    let payload = Array(#"{"schema":"ecom-tax-batch/1","records":[]}"#.utf8)

    func expectFailure(
        _ code: SignatureError.Code,
        _ jws: String,
        payload: [UInt8]? = nil,
        anchors: [Certificate]? = nil,
        at time: Date = Date(),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        do {
            _ = try await DetachedJWS.verify(
                jws,
                payload: payload ?? self.payload,
                trustAnchors: anchors ?? [Self.pki.caCertificate],
                at: time
            )
            Issue.record("expected \(code), the JWS verified", sourceLocation: sourceLocation)
        } catch let error as SignatureError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func roundTripReturnsTheLeaf() async throws {
        let jws = try DetachedJWS.sign(payload: payload, identity: Self.pki.senderIdentity)
        let leaf = try await DetachedJWS.verify(jws, payload: payload, trustAnchors: [Self.pki.caCertificate])
        #expect(leaf == Self.pki.senderIdentity.leaf)
        #expect(taxCode(of: leaf) == "0100109106")
    }

    @Test func aPinnedLeafIsATrustAnchor() async throws {
        let jws = try DetachedJWS.sign(payload: payload, identity: Self.pki.ministryIdentity)
        let leaf = try await DetachedJWS.verify(jws, payload: payload, trustAnchors: [Self.pki.ministryIdentity.leaf])
        #expect(leaf == Self.pki.ministryIdentity.leaf)
        // The pinned ministry leaf does not vouch for the sender.
        let senderJWS = try DetachedJWS.sign(payload: payload, identity: Self.pki.senderIdentity)
        await expectFailure(.untrustedChain, senderJWS, anchors: [Self.pki.ministryIdentity.leaf])
    }

    @Test func theProtectedHeaderIsExact() throws {
        let jws = try DetachedJWS.sign(payload: payload, identity: Self.pki.senderIdentity)
        let parts = jws.split(separator: ".", omittingEmptySubsequences: false)
        #expect(parts.count == 3)
        #expect(parts[1].isEmpty)
        #expect(!jws.contains("="))
        let header = try #require(Base64URL.decode(parts[0]))
        let leaf = Data(try CertificatePEM.der(Self.pki.senderIdentity.leaf)).base64EncodedString()
        let ca = Data(try CertificatePEM.der(Self.pki.caCertificate)).base64EncodedString()
        #expect(String(decoding: header, as: UTF8.self) == #"{"alg":"ES256","x5c":["\#(leaf)","\#(ca)"]}"#)
        let signature = try #require(Base64URL.decode(parts[2]))
        #expect(signature.count == 64)
    }

    @Test func aTamperedPayloadIsRejected() async throws {
        let jws = try DetachedJWS.sign(payload: payload, identity: Self.pki.senderIdentity)
        var tampered = payload
        tampered[tampered.count - 3] = UInt8(ascii: "x")
        await expectFailure(.badSignature, jws, payload: tampered)
        await expectFailure(.badSignature, jws, payload: payload + [0x20])
    }

    @Test func aTamperedHeaderIsRejected() async throws {
        let jws = try DetachedJWS.sign(payload: payload, identity: Self.pki.senderIdentity)
        let parts = jws.split(separator: ".", omittingEmptySubsequences: false)
        // The same header with white space: a different signing input.
        let header = try #require(Base64URL.decode(parts[0]))
        let spaced = String(decoding: header, as: UTF8.self).replacingOccurrences(of: ",", with: ", ")
        await expectFailure(.badSignature, Base64URL.encode(Array(spaced.utf8)) + ".." + parts[2])
        // Another algorithm.
        let hs256 = String(decoding: header, as: UTF8.self).replacingOccurrences(of: "ES256", with: "HS256")
        await expectFailure(.wrongAlgorithm, Base64URL.encode(Array(hs256.utf8)) + ".." + parts[2])
        // The chain swapped for the ministry's, with the sender's signature.
        let other = try DetachedJWS.sign(payload: payload, identity: Self.pki.ministryIdentity)
        let otherHeader = other.split(separator: ".", omittingEmptySubsequences: false)[0]
        await expectFailure(.badSignature, otherHeader + ".." + parts[2])
    }

    @Test func aSignatureFromAnUntrustedCAIsRejected() async throws {
        let stranger = try DevelopmentPKI.generate(taxCode: "0100109106")
        let jws = try DetachedJWS.sign(payload: payload, identity: stranger.senderIdentity)
        await expectFailure(.untrustedChain, jws)
        // Even without the stranger's CA in x5c.
        let leafOnly = SigningIdentity(
            privateKey: stranger.senderIdentity.privateKey,
            chain: [stranger.senderIdentity.leaf]
        )
        await expectFailure(.untrustedChain, try DetachedJWS.sign(payload: payload, identity: leafOnly))
        await expectFailure(.untrustedChain, jws, anchors: [])
    }

    @Test func anExpiredCertificateIsRejected() async throws {
        let old = try DevelopmentPKI.generate(
            taxCode: "0100109106",
            validityDays: 30,
            notBefore: Date().addingTimeInterval(-90 * 86_400)
        )
        let jws = try DetachedJWS.sign(payload: payload, identity: old.senderIdentity)
        await expectFailure(.expired, jws, anchors: [old.caCertificate])
        // A valid certificate checked at a time after its validity, and before it.
        let current = try DetachedJWS.sign(payload: payload, identity: Self.pki.senderIdentity)
        await expectFailure(.expired, current, at: Date().addingTimeInterval(900 * 86_400))
        await expectFailure(.expired, current, at: Date().addingTimeInterval(-86_400))
    }

    @Test func aDERSignatureIsRejected() async throws {
        let jws = try DetachedJWS.sign(payload: payload, identity: Self.pki.senderIdentity)
        let protected = jws.split(separator: ".", omittingEmptySubsequences: false)[0]
        let input = Array((protected + "." + Base64URL.encode(payload)).utf8)
        let der = try Self.pki.senderIdentity.privateKey.signature(for: input).derRepresentation
        await expectFailure(.badSignature, protected + ".." + Base64URL.encode(der))
    }

    @Test func aKeyOtherThanP256IsRejected() async throws {
        let key = P384.Signing.PrivateKey()
        let leaf = try Certificate(
            version: .v3,
            serialNumber: .init(),
            publicKey: .init(key.publicKey),
            notValidBefore: Date().addingTimeInterval(-60),
            notValidAfter: Date().addingTimeInterval(86_400),
            issuer: Self.pki.caCertificate.subject,
            subject: try DistinguishedName { CommonName("P-384") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: Certificate.Extensions(),
            issuerPrivateKey: .init(Self.pki.caKey)
        )
        let x5c = Data(try CertificatePEM.der(leaf)).base64EncodedString()
        let header = Base64URL.encode(Array(#"{"alg":"ES256","x5c":["\#(x5c)"]}"#.utf8))
        await expectFailure(.wrongKeyType, header + ".." + Base64URL.encode([UInt8](repeating: 1, count: 64)))
    }

    @Test(arguments: [
        ("", SignatureError.Code.missing),
        ("abc", .malformed),
        ("a.b.c", .malformed),
        ("a..b..c", .malformed),
        ("eyJhbGciOiJFUzI1NiJ9..AAAA", .malformed),  // no x5c
        ("e30..AAAA", .malformed),  // {}
        ("eyJhbGciOiJFUzI1NiIsIng1YyI6W119..AAAA", .malformed),  // empty x5c
        ("eyJhbGciOiJFUzI1NiIsIng1YyI6WyIhIl19..AAAA", .malformed),  // x5c not base64
        ("eyJhbGciOiJFUzI1NiIsIng1YyI6WyJBQUFBIl19..AAAA", .malformed),  // x5c not DER
        ("eyJhbGciOiJFUzI1NiIsImNyaXQiOlsiYjY0Il0sImI2NCI6ZmFsc2V9..AAAA", .malformed),  // crit, b64
        ("eyJhbGciOiJub25lIn0..", .malformed),  // alg none, empty signature
        ("eyJhbGciOiJSUzI1NiJ9..AAAA", .wrongAlgorithm),
    ])
    func malformedSignaturesAreRejected(jws: String, code: SignatureError.Code) async {
        await expectFailure(code, jws)
    }
}
