import Crypto
import Foundation
import SwiftASN1
import X509

/// A development PKI for `taxlink keys init`, tests and the demo: an ECDSA P-256 CA, a sender
/// certificate carrying `UID=MST:<tax code>`, and a mock-ministry certificate, both issued by the CA.
///
/// Not for production: the CA key is written next to the certificates.
public struct DevelopmentPKI: Sendable {
    /// The CA's private key.
    public var caKey: P256.Signing.PrivateKey
    /// The self-signed CA certificate (basicConstraints CA, keyUsage keyCertSign and cRLSign).
    public var caCertificate: Certificate
    /// The sender's key and chain (leaf, then the CA).
    public var senderIdentity: SigningIdentity
    /// The mock ministry's key and chain (leaf, then the CA).
    public var ministryIdentity: SigningIdentity

    /// Makes a fresh PKI.
    ///
    /// - Parameters:
    ///   - taxCode: the sender's tax code, written into the sender certificate as `UID=MST:<taxCode>`.
    ///   - validityDays: how long every certificate is valid, in days from `notBefore`.
    ///   - notBefore: the start of validity; defaults to five minutes ago (to tolerate clock skew).
    /// - Throws: ``KeyMaterialError`` for an empty or non-ASCII tax code or a non-positive validity.
    public static func generate(
        taxCode: String,
        validityDays: Int = 825,
        notBefore: Date = Date().addingTimeInterval(-300)
    ) throws -> DevelopmentPKI {
        guard !taxCode.isEmpty, taxCode.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }) else {
            throw KeyMaterialError("the tax code must be digits (and '-' for a branch), got \"\(taxCode)\"")
        }
        guard validityDays > 0 else { throw KeyMaterialError("the validity must be at least one day") }
        let notAfter = notBefore.addingTimeInterval(TimeInterval(validityDays) * 86_400)

        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName {
            OrganizationName("TaxLink Development")
            CommonName("TaxLink Development CA")
        }
        let caPublicKey = Certificate.PublicKey(caKey.publicKey)
        let caCertificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: caPublicKey,
            notValidBefore: notBefore,
            notValidAfter: notAfter,
            issuer: caName,
            subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: caPublicKey)
            },
            issuerPrivateKey: Certificate.PrivateKey(caKey)
        )
        let issuer = Issuer(key: caKey, certificate: caCertificate, notBefore: notBefore, notAfter: notAfter)

        let senderKey = P256.Signing.PrivateKey()
        let senderName = try DistinguishedName {
            OrganizationName("TaxLink Development")
            CommonName("TaxLink sender \(taxCode)")
            UserID("MST:\(taxCode)")
        }
        let sender = try issuer.issue(subject: senderName, key: senderKey)

        let ministryKey = P256.Signing.PrivateKey()
        let ministryName = try DistinguishedName { CommonName("Mock Ministry") }
        let ministry = try issuer.issue(subject: ministryName, key: ministryKey)

        return DevelopmentPKI(
            caKey: caKey,
            caCertificate: caCertificate,
            senderIdentity: SigningIdentity(privateKey: senderKey, chain: [sender, caCertificate]),
            ministryIdentity: SigningIdentity(privateKey: ministryKey, chain: [ministry, caCertificate])
        )
    }

    /// The files ``write(to:)`` creates, by name.
    public enum FileName {
        /// The CA certificate: the trust anchor of both sides.
        public static let caCertificate = "ca.pem"
        /// The CA's private key.
        public static let caKey = "ca-key.pem"
        /// The sender's private key (PKCS#8).
        public static let senderKey = "sender-key.pem"
        /// The sender's chain: its certificate, then the CA.
        public static let senderChain = "sender-chain.pem"
        /// The ministry's private key (PKCS#8).
        public static let ministryKey = "ministry-key.pem"
        /// The ministry's chain: its certificate, then the CA.
        public static let ministryChain = "ministry-chain.pem"
    }

    /// Writes the PEM files of ``FileName`` into `directory`. A missing folder is created 0700, an
    /// existing one that group or others can reach is narrowed to 0700 (its parents are not touched);
    /// every private key is created 0600 from its first byte (certificates 0644), whatever the umask.
    ///
    /// - Parameter replace: whether existing files are replaced (`keys init --force`); without it,
    ///   any existing file makes the call fail before anything is written.
    /// - Throws: ``KeyMaterialError`` naming the files that exist, or the file that could not be written.
    public func write(to directory: URL, replace: Bool = false) throws {
        let files: [(String, String, Bool)] = [
            (FileName.caCertificate, try CertificatePEM.pem([caCertificate]), false),
            (FileName.caKey, caKey.pemRepresentation + "\n", true),
            (FileName.senderKey, senderIdentity.privateKey.pemRepresentation + "\n", true),
            (FileName.senderChain, try CertificatePEM.pem(senderIdentity.chain), false),
            (FileName.ministryKey, ministryIdentity.privateKey.pemRepresentation + "\n", true),
            (FileName.ministryChain, try CertificatePEM.pem(ministryIdentity.chain), false),
        ]
        if !replace {
            let existing = files.map(\.0).filter {
                FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path)
            }
            guard existing.isEmpty else {
                throw KeyMaterialError(
                    "\(directory.path) already holds \(existing.joined(separator: ", ")); pass --force to replace the keys"
                )
            }
        }
        try KeyFiles.makeDirectory(directory)
        for (name, text, secret) in files {
            try KeyFiles.write(
                Array(text.utf8),
                to: directory.appendingPathComponent(name),
                mode: secret ? 0o600 : 0o644,
                replace: replace
            )
        }
    }

    /// Every certificate in a PEM text, in order (see ``CertificatePEM/certificates(in:)``).
    public static func loadCertificates(pem: String) throws -> [Certificate] {
        try CertificatePEM.certificates(in: pem)
    }
}

/// The CA side of certificate issuance.
private struct Issuer {
    var key: P256.Signing.PrivateKey
    var certificate: Certificate
    var notBefore: Date
    var notAfter: Date

    func issue(subject: DistinguishedName, key subjectKey: P256.Signing.PrivateKey) throws -> Certificate {
        let publicKey = Certificate.PublicKey(subjectKey.publicKey)
        let issuerKeyID = SubjectKeyIdentifier(hash: certificate.publicKey).keyIdentifier
        return try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: publicKey,
            notValidBefore: notBefore,
            notValidAfter: notAfter,
            issuer: certificate.subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                SubjectKeyIdentifier(hash: publicKey)
                AuthorityKeyIdentifier(keyIdentifier: issuerKeyID)
            },
            issuerPrivateKey: Certificate.PrivateKey(key)
        )
    }
}

/// The `UID` subject attribute (OID 0.9.2342.19200300.100.1.1).
private struct UserID: RelativeDistinguishedNameConvertible {
    var value: String

    init(_ value: String) {
        self.value = value
    }

    func makeRDN() throws -> RelativeDistinguishedName {
        RelativeDistinguishedName(.init(type: SubjectAttribute.userID, utf8String: value))
    }
}
