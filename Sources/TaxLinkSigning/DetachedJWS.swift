import Crypto
import Foundation
import SwiftASN1
@_spi(FixedExpiryValidationTime) import X509

/// JWS compact serialization with a detached payload (RFC 7515 appendix F), as the ministry's
/// intake uses it: `BASE64URL(protected) + ".." + BASE64URL(signature)`, ES256, the signer's
/// certificate chain in `x5c`.
public enum DetachedJWS {
    /// Signs `payload` (the exact body bytes) with `identity`.
    ///
    /// The protected header is exactly `{"alg":"ES256","x5c":[…]}` with the chain's DER in
    /// standard base64, leaf first; the signature is the 64-byte raw `r || s` form.
    ///
    /// - Throws: ``KeyMaterialError`` when the identity has no certificate or one cannot be encoded.
    public static func sign(payload: some Collection<UInt8>, identity: SigningIdentity) throws -> String {
        guard !identity.chain.isEmpty else {
            throw KeyMaterialError("the signing identity has no certificate; the chain must start with the leaf")
        }
        let x5c = try identity.chain.map { "\"" + Data(try CertificatePEM.der($0)).base64EncodedString() + "\"" }
        let header = "{\"alg\":\"ES256\",\"x5c\":[" + x5c.joined(separator: ",") + "]}"
        let protected = Base64URL.encode(Array(header.utf8))
        // The signing input `protected.BASE64URL(payload)` is hashed as it is encoded, a chunk at a
        // time: a batch is megabytes, and its text is never needed whole.
        var signingInput = SHA256()
        signingInput.update(data: Array((protected + ".").utf8))
        Base64URL.encodeInChunks(payload) { signingInput.update(bufferPointer: $0) }
        let signature = try identity.privateKey.signature(for: signingInput.finalize())
        return protected + ".." + Base64URL.encode(signature.rawRepresentation)
    }

    /// Verifies `jws` over `payload` and returns the leaf certificate that signed it.
    ///
    /// Checks, in order: the compact form with an empty payload part; a protected header with
    /// `alg` `ES256` and a non-empty `x5c`; a P-256 leaf key; every certificate of `x5c` valid at
    /// `time`; the raw 64-byte signature; and a chain from the leaf to one of `trustAnchors`
    /// (a CA, or the pinned leaf certificate itself) under RFC 5280 rules at `time`.
    ///
    /// - Throws: ``SignatureError`` saying which check failed.
    public static func verify(
        _ jws: String,
        payload: some Collection<UInt8>,
        trustAnchors: [Certificate],
        at time: Date = Date()
    ) async throws -> Certificate {
        let parsed = try ParsedJWS(jws)
        guard let leaf = parsed.chain.first else {
            throw SignatureError(
                .malformed,
                "the protected header's x5c is empty; it must start with the leaf certificate"
            )
        }
        guard let publicKey = P256.Signing.PublicKey(leaf.publicKey) else {
            throw SignatureError(
                .wrongKeyType,
                "the signing certificate \(leaf.subject) does not hold an ECDSA P-256 key (ES256 needs one)"
            )
        }
        try checkValidity(of: parsed.chain, at: time)
        guard parsed.signature.count == 64 else {
            throw SignatureError(
                .badSignature,
                "the signature is \(parsed.signature.count) bytes; ES256 needs the 64-byte raw r||s form "
                    + "(RFC 7518 §3.4), not DER"
            )
        }
        let signingInput = parsed.protectedText + "." + Base64URL.encode(payload)
        guard let signature = try? P256.Signing.ECDSASignature(rawRepresentation: parsed.signature),
            publicKey.isValidSignature(signature, for: Array(signingInput.utf8))
        else {
            throw SignatureError(
                .badSignature,
                "the signature does not match the payload and protected header (were the exact bytes sent signed?)"
            )
        }
        try await checkTrust(chain: parsed.chain, trustAnchors: trustAnchors, at: time)
        return leaf
    }

    private static func checkValidity(of chain: [Certificate], at time: Date) throws {
        for certificate in chain {
            if time < certificate.notValidBefore {
                throw SignatureError(
                    .expired,
                    "certificate \(certificate.subject) is not valid before \(certificate.notValidBefore)"
                )
            }
            if time > certificate.notValidAfter {
                throw SignatureError(
                    .expired,
                    "certificate \(certificate.subject) expired at \(certificate.notValidAfter); renew it"
                )
            }
        }
    }

    private static func checkTrust(chain: [Certificate], trustAnchors: [Certificate], at time: Date) async throws {
        guard !trustAnchors.isEmpty else {
            throw SignatureError(.untrustedChain, "no trust anchor is configured")
        }
        let leaf = chain[0]
        // A pinned leaf is trusted as it is (its validity was checked above).
        if trustAnchors.contains(leaf) { return }
        var verifier = Verifier(rootCertificates: CertificateStore(trustAnchors)) {
            RFC5280Policy(fixedExpiryValidationTime: time)
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(chain.dropFirst()))
        switch result {
        case .validCertificate:
            return
        case .couldNotValidate(let failures):
            let reasons = failures.map { "\($0.policyFailureReason)" }
            let detail = reasons.isEmpty ? "no chain to a trust anchor" : reasons.joined(separator: "; ")
            let expired = reasons.contains { $0.contains("has expired") || $0.contains("not yet valid") }
            throw SignatureError(
                expired ? .expired : .untrustedChain,
                "certificate \(leaf.subject), issued by \(leaf.issuer), does not chain to a trusted certificate: \(detail)"
            )
        }
    }
}

/// The parts of a detached compact JWS.
struct ParsedJWS {
    /// The protected header as sent (base64url), part of the signing input.
    var protectedText: String
    /// The certificates of `x5c`, leaf first.
    var chain: [Certificate]
    /// The signature bytes.
    var signature: [UInt8]

    init(_ jws: String) throws {
        let trimmed = jws.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw SignatureError(.missing, "no JWS signature was given") }
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw SignatureError(.malformed, "a compact JWS has three parts separated by '.', found \(parts.count)")
        }
        guard parts[1].isEmpty else {
            throw SignatureError(.malformed, "the payload part must be empty (detached payload, RFC 7515 appendix F)")
        }
        guard let headerBytes = Base64URL.decode(parts[0]) else {
            throw SignatureError(.malformed, "the protected header is not unpadded base64url")
        }
        guard let signature = Base64URL.decode(parts[2]), !signature.isEmpty else {
            throw SignatureError(.malformed, "the signature is not unpadded base64url")
        }
        protectedText = String(parts[0])
        self.signature = signature
        chain = try Self.parseHeader(headerBytes)
    }

    private static let understoodMembers: Set<String> = ["alg", "x5c", "typ", "kid"]

    private static func parseHeader(_ bytes: [UInt8]) throws -> [Certificate] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw SignatureError(.malformed, "the protected header is not a JSON object")
        }
        if let unknown = object.keys.sorted().first(where: { !understoodMembers.contains($0) }) {
            throw SignatureError(
                .malformed,
                "the protected header has the member \"\(unknown)\", which is not supported"
            )
        }
        guard let alg = object["alg"] as? String else {
            throw SignatureError(.malformed, "the protected header has no \"alg\"")
        }
        guard alg == "ES256" else {
            throw SignatureError(.wrongAlgorithm, "the algorithm is \"\(alg)\"; only ES256 is accepted")
        }
        guard let x5c = object["x5c"] as? [Any] else {
            throw SignatureError(.malformed, "the protected header has no \"x5c\" certificate chain")
        }
        return try x5c.enumerated().map { index, entry in
            guard let text = entry as? String, let der = Data(base64Encoded: text) else {
                throw SignatureError(.malformed, "x5c[\(index)] is not standard base64 (RFC 7515 §4.1.6)")
            }
            do {
                return try Certificate(derEncoded: Array(der))
            } catch {
                throw SignatureError(.malformed, "x5c[\(index)] is not a DER X.509 certificate: \(error)")
            }
        }
    }
}
