import Foundation

/// Base64url without padding (RFC 4648 §5, RFC 7515 §2), the encoding of JWS parts.
enum Base64URL {
    /// The unpadded base64url text of `bytes`.
    static func encode(_ bytes: some Collection<UInt8>) -> String {
        var encoded: [UInt8] = []
        encodeInChunks(bytes) { encoded.append(contentsOf: $0) }
        return String(decoding: encoded, as: UTF8.self)
    }

    /// Calls `body` with the unpadded base64url text of `bytes` (the same text as ``encode(_:)``), a
    /// chunk of at most 64 KiB at a time, so megabytes are encoded without holding their text whole.
    static func encodeInChunks(_ bytes: some Collection<UInt8>, _ body: (UnsafeRawBufferPointer) -> Void) {
        let encoded: Void? = bytes.withContiguousStorageIfAvailable { encodeInChunks($0, body) }
        if encoded == nil { Array(bytes).withUnsafeBufferPointer { encodeInChunks($0, body) } }
    }

    private static func encodeInChunks(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeRawBufferPointer) -> Void) {
        // A multiple of 3 bytes encodes without padding, so only the last chunk can end in `=`.
        let chunk = 3 * 16_384
        for start in stride(from: 0, to: bytes.count, by: chunk) {
            let part = UnsafeBufferPointer(rebasing: bytes[start..<min(start + chunk, bytes.count)])
            var encoded = [UInt8](Data(buffer: part).base64EncodedData())
            while encoded.last == UInt8(ascii: "=") { encoded.removeLast() }
            for index in encoded.indices {
                switch encoded[index] {
                case UInt8(ascii: "+"): encoded[index] = UInt8(ascii: "-")
                case UInt8(ascii: "/"): encoded[index] = UInt8(ascii: "_")
                default: break
                }
            }
            encoded.withUnsafeBytes(body)
        }
    }

    /// The bytes of unpadded base64url text, or `nil` when the text is not strictly that
    /// (padding, `+`, `/`, white space and impossible lengths are refused).
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var standard = [UInt8](text.utf8)
        guard standard.count % 4 != 1 else { return nil }
        for index in standard.indices {
            switch standard[index] {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                break
            case UInt8(ascii: "-"): standard[index] = UInt8(ascii: "+")
            case UInt8(ascii: "_"): standard[index] = UInt8(ascii: "/")
            default: return nil
            }
        }
        let unpaddedCount = standard.count
        while standard.count % 4 != 0 { standard.append(UInt8(ascii: "=")) }
        guard let data = Data(base64Encoded: Data(standard)) else { return nil }
        // Refuse non-canonical encodings (unused low bits set), so one value has one text.
        guard data.count == unpaddedCount * 3 / 4, encode(data) == String(text) else { return nil }
        return Array(data)
    }
}
