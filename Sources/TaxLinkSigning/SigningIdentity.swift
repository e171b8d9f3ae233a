import Crypto
import SwiftASN1
import X509

/// A signing key and the certificate chain that vouches for it (leaf first, then intermediates).
public struct SigningIdentity: Sendable {
    /// The ECDSA P-256 private key that signs.
    public var privateKey: P256.Signing.PrivateKey
    /// The certificates sent in `x5c`: the leaf (holding ``privateKey``'s public key) first.
    public var chain: [Certificate]

    /// An identity from a key and its chain, leaf first. The chain must not be empty.
    public init(privateKey: P256.Signing.PrivateKey, chain: [Certificate]) {
        self.privateKey = privateKey
        self.chain = chain
    }

    /// The leaf certificate (the first of ``chain``).
    ///
    /// An identity built by ``load(keyPEM:chainPEM:)`` or ``DevelopmentPKI`` always has one.
    ///
    /// - Precondition: ``chain`` is not empty (``DetachedJWS/sign(payload:identity:)`` checks and throws instead).
    public var leaf: Certificate {
        // `load` and `DevelopmentPKI` never make an empty chain; `sign` checks before use.
        chain[0]
    }

    /// Loads a PEM private key (PKCS#8 `PRIVATE KEY` or SEC1 `EC PRIVATE KEY`, P-256) and a PEM
    /// chain of one or more `CERTIFICATE`s, leaf first.
    ///
    /// - Throws: ``KeyMaterialError`` when either cannot be read, the chain is empty, or the key
    ///   does not belong to the leaf certificate.
    public static func load(keyPEM: String, chainPEM: String) throws -> SigningIdentity {
        let key: P256.Signing.PrivateKey
        do {
            key = try P256.Signing.PrivateKey(pemRepresentation: keyPEM)
        } catch {
            throw KeyMaterialError("the signing key is not a PEM ECDSA P-256 private key: \(error)")
        }
        let chain = try CertificatePEM.certificates(in: chainPEM)
        guard let leaf = chain.first else {
            throw KeyMaterialError("the certificate chain PEM holds no CERTIFICATE block")
        }
        guard let leafKey = P256.Signing.PublicKey(leaf.publicKey),
            leafKey.rawRepresentation == key.publicKey.rawRepresentation
        else {
            throw KeyMaterialError(
                "the signing key does not match the first certificate of the chain (\(leaf.subject)); "
                    + "the chain must start with the leaf certificate of this key"
            )
        }
        return SigningIdentity(privateKey: key, chain: chain)
    }
}

/// PEM reading and writing of certificates.
public enum CertificatePEM {
    /// Every `CERTIFICATE` block of `pem`, in order. Other blocks (keys, parameters) are skipped.
    ///
    /// - Throws: ``KeyMaterialError`` when the text is not PEM or a certificate cannot be parsed.
    public static func certificates(in pem: String) throws -> [Certificate] {
        let documents: [PEMDocument]
        do {
            documents = try PEMDocument.parseMultiple(pemString: pem)
        } catch {
            throw KeyMaterialError("the text is not PEM: \(error)")
        }
        var certificates: [Certificate] = []
        for (index, document) in documents.enumerated() where document.discriminator == "CERTIFICATE" {
            do {
                certificates.append(try Certificate(derEncoded: document.derBytes))
            } catch {
                throw KeyMaterialError("PEM block \(index + 1) is not a valid X.509 certificate: \(error)")
            }
        }
        return certificates
    }

    /// The PEM text of `certificates`, one block after the other.
    public static func pem(_ certificates: [Certificate]) throws -> String {
        try certificates.map { try $0.serializeAsPEM().pemString + "\n" }.joined()
    }

    /// The DER bytes of `certificate`.
    public static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }
}

/// The sender's tax code carried in a certificate's subject as `UID=MST:<tax code>`
/// (OID 0.9.2342.19200300.100.1.1), or `nil` when there is none or it is empty.
public func taxCode(of certificate: Certificate) -> String? {
    for rdn in certificate.subject {
        for attribute in rdn where attribute.type == SubjectAttribute.userID {
            guard let value = String(attribute.value), value.hasPrefix("MST:") else { continue }
            let code = String(value.dropFirst(4))
            if !code.isEmpty { return code }
        }
    }
    return nil
}

/// Subject attribute types used by TaxLink certificates.
enum SubjectAttribute {
    /// `UID` (userid, RFC 4519), OID 0.9.2342.19200300.100.1.1.
    static let userID: ASN1ObjectIdentifier = [0, 9, 2342, 19_200_300, 100, 1, 1]
}
