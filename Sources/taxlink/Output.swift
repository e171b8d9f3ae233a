import Foundation
import TaxLinkCore

/// Buffered writing to stdout and stderr.
struct Output {
    private var buffer: [UInt8] = []

    /// Appends a line of text.
    mutating func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Appends a JSON value as one line.
    mutating func json(_ value: JSONValue) {
        CanonicalJSON.write(value, to: &buffer)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Appends raw bytes.
    mutating func raw(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Appends raw bytes, lent by a store.
    mutating func raw(_ bytes: Span<UInt8>) {
        bytes.withUnsafeBufferPointer { buffer.append(contentsOf: $0) }
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes what is buffered.
    mutating func flush() {
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    /// A line of human progress on stderr.
    static func progress(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
