import Crypto
import Foundation
import Testing

@testable import TaxLinkSigning

/// Signing hashes a batch's base64url text a chunk at a time instead of building it whole: the text
/// and the signature must be those of the whole, at every chunk boundary.
@Suite struct ChunkedSigningTests {
    /// Payload sizes around the 48 KiB chunks (3 × 16,384 bytes) and past several of them.
    static let sizes = [0, 1, 2, 3, 49_151, 49_152, 49_153, 98_305, 150_001]

    static func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 251) }
    }

    @Test(arguments: sizes)
    func chunkedTextIsTheWholeText(count: Int) {
        let bytes = Self.bytes(count)
        let standard = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        #expect(Base64URL.encode(bytes) == standard)
        var chunks: [[UInt8]] = []
        Base64URL.encodeInChunks(bytes) { chunks.append(Array($0)) }
        #expect(chunks.count == (count + 49_151) / 49_152)
        #expect(String(decoding: chunks.joined(), as: UTF8.self) == standard)
        #expect(Base64URL.decode(standard) == bytes)
    }

    @Test(arguments: [49_153, 150_001])
    func aSignatureOverALargePayloadVerifies(count: Int) async throws {
        let pki = try DevelopmentPKI.generate(taxCode: "0100109106")
        let payload = Self.bytes(count)
        let jws = try DetachedJWS.sign(payload: payload, identity: pki.senderIdentity)
        _ = try await DetachedJWS.verify(jws, payload: payload, trustAnchors: [pki.caCertificate])
        await #expect(throws: SignatureError.self) {
            try await DetachedJWS.verify(jws, payload: payload.dropLast(), trustAnchors: [pki.caCertificate])
        }
    }
}
