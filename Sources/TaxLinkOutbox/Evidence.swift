import Foundation
import TaxLinkCore
import TaxLinkSigning
import TaxLinkStore
import X509

/// Writes what a third party needs to verify one exchange without the connector: the exact body,
/// its JWS, the certificate chain it was signed with (kept at sealing), every receipt received for
/// it — the one that verified and any that failed, with the reason — and a README with `openssl`
/// commands. Needs no private key.
public enum Evidence {
    /// Writes the evidence of `batch` into `directory` (created when missing). `ministryTrust`
    /// adds certificates to those kept with the receipts.
    public static func write(
        _ batch: OutboxBatch,
        receipts: [StoredReceipt],
        ministryTrust: [Certificate] = [],
        to directory: URL
    ) throws {
        guard let chain = batch.signingChain else {
            throw OutboxError.configuration(
                "batch \(batch.id) was sealed before its signing chain was kept; its certificates are only in batch.jws (x5c)"
            )
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func file(_ name: String, _ bytes: [UInt8]) throws {
            try Data(bytes).write(to: directory.appendingPathComponent(name))
        }
        try file("batch.json", batch.body)
        try file("batch.jws", Array(batch.jws.utf8))
        try file("batch.sha256", Array((batch.bodySHA256 + "\n").utf8))
        try file("sender-chain.pem", Array(chain.utf8))
        var trust = ministryTrust.isEmpty ? "" : try CertificatePEM.pem(ministryTrust)
        var index: [JSONValue] = []
        for stored in receipts {
            let name = "receipt-\(stored.id)"
            try file("\(name).json", stored.receipt.body)
            try file("\(name).jws", Array((stored.receipt.jws ?? "").utf8))
            if let kept = stored.receipt.ministryTrust, !trust.contains(kept) { trust += kept }
            index.append(Self.entry(stored, name: name))
        }
        if let receipt = batch.receipt {
            try file("receipt.json", receipt)
            try file("receipt.jws", Array((batch.receiptJWS ?? "").utf8))
        }
        try file("receipts.json", CanonicalJSON.encode(.array(index)) + [0x0A])
        try file("ministry-trust.pem", Array(trust.utf8))
        try file("README.md", Array(readme(batch).utf8))
    }

    private static func entry(_ stored: StoredReceipt, name: String) -> JSONValue {
        .object([
            "file": .string("\(name).json"), "status": .int(stored.receipt.status),
            "received_at": .string(stored.receipt.receivedAt.iso8601), "verdict": .string(stored.verdict.name),
            "problem": .optional(stored.verdict.problem),
        ])
    }

    private static func readme(_ batch: OutboxBatch) -> String {
        """
        # Evidence of batch \(batch.id)

        Files: `batch.json` (the exact bytes sent), `batch.jws` (detached JWS, RFC 7515 appendix F),
        `sender-chain.pem` (the chain the batch was signed with, kept when it was sealed),
        `receipt.json` and `receipt.jws` (the ministry's signed receipt that verified, when there is one),
        `receipt-N.json`/`receipt-N.jws` (every receipt received, listed in `receipts.json` with its
        verdict and, for one that failed verification, the reason), `ministry-trust.pem`.

        1. The body's digest equals the receipt's `body_sha256`:

               openssl dgst -sha256 batch.json
               grep -o '"body_sha256":"[0-9a-f]*"' receipt.json

        2. Verify a detached JWS (here the batch's; use receipt.json/receipt.jws for the receipt).
           The signing input is `BASE64URL(header) + "." + BASE64URL(body)`; the signature is raw r||s:

               b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
               header=$(cut -d. -f1 batch.jws); sig=$(cut -d. -f3 batch.jws)
               printf '%s.%s' "$header" "$(b64url < batch.json)" > signing-input
               pad() { s=$1; while [ $(( ${#s} % 4 )) -ne 0 ]; do s="$s="; done; echo "$s" | tr -- '-_' '+/'; }
               pad "$sig" | openssl base64 -d -A > sig.raw
               # convert raw r||s to DER for openssl
               r=$(head -c 32 sig.raw | xxd -p -c 64); s=$(tail -c 32 sig.raw | xxd -p -c 64)
               printf '30440220%s0220%s' "$r" "$s" | xxd -r -p > sig.der   # valid when r and s < 2^255
               openssl x509 -in sender-chain.pem -pubkey -noout > sender.pub
               openssl dgst -sha256 -verify sender.pub -signature sig.der signing-input

           (When r or s has its top bit set, DER needs a leading 00 byte; `asn1parse` the result to check.)

        3. The certificates chain to the trusted CA:

               openssl verify -CAfile <the CA you trust> sender-chain.pem
        """
    }
}
