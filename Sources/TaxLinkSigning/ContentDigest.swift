import Crypto
import Foundation

/// The `Content-Digest` header of RFC 9530, with SHA-256.
public enum ContentDigest {
    /// `sha-256=:<base64 of SHA-256(body)>:`.
    public static func header(for body: some Collection<UInt8>) -> String {
        "sha-256=:\(Data(SHA256.hash(data: Array(body))).base64EncodedString()):"
    }

    /// The lower-case hex SHA-256 of `body` (the receipt's `body_sha256`).
    public static func sha256Hex(_ body: some Collection<UInt8>) -> String {
        SHA256.hash(data: Array(body)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 0x10 ? "0" + hex : hex
        }.joined()
    }

    /// Whether `header` (an RFC 9530 dictionary, possibly naming several algorithms) carries a
    /// `sha-256` member equal to the SHA-256 of `body`. Other algorithms are ignored; a header
    /// without `sha-256` does not verify.
    public static func verify(header: String, body: some Collection<UInt8>) -> Bool {
        guard let expected = sha256(inHeader: header) else { return false }
        let actual = Array(SHA256.hash(data: Array(body)))
        return expected == actual
    }

    /// The SHA-256 digest a `Content-Digest` header carries, or `nil` when it has none or it is malformed.
    static func sha256(inHeader header: String) -> [UInt8]? {
        var found: [UInt8]?
        for member in header.split(separator: ",") {
            let trimmed = member.trimmingCharacters(in: .whitespaces)
            guard let equals = trimmed.firstIndex(of: "=") else { return nil }
            let key = trimmed[..<equals].lowercased()
            let value = trimmed[trimmed.index(after: equals)...]
            guard key == "sha-256" else { continue }
            guard found == nil, value.count >= 2, value.first == ":", value.last == ":" else { return nil }
            let base64 = value.dropFirst().dropLast()
            guard let data = Data(base64Encoded: String(base64)), data.count == 32 else { return nil }
            found = Array(data)
        }
        return found
    }
}
