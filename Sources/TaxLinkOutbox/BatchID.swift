import Foundation

/// Batch ids: ULIDs (26 characters of Crockford base32: 48 bits of milliseconds, 80 random bits),
/// so they sort by creation time and fit the intake's `[A-Za-z0-9_-]{1,64}`.
public enum BatchID {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// A new id for a batch sealed at `date`.
    public static func make(at date: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(at: date, using: &generator)
    }

    static func make(at date: Date, using generator: inout some RandomNumberGenerator) -> String {
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var characters: [Character] = []
        for shift in stride(from: 45, through: 0, by: -5) {
            characters.append(alphabet[Int((milliseconds >> UInt64(shift)) & 31)])
        }
        for _ in 0..<16 { characters.append(alphabet[Int(generator.next() & 31)]) }
        return String(characters)
    }
}
