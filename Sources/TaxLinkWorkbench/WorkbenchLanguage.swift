/// The language of the analyst workbench: Vietnamese by default, English on request.
///
/// A person's choice (the `lang` cookie the page's language switch sets) wins; without one, the
/// browser's `Accept-Language` decides between the two; anything else is Vietnamese.
public enum WorkbenchLanguage: String, Sendable, Hashable, CaseIterable {
    /// Vietnamese, the default.
    case vi
    /// English.
    case en

    /// The name of the cookie that keeps a person's choice.
    public static let cookieName = "lang"

    /// The language for a request with the `lang` cookie value `cookie` and the `Accept-Language`
    /// header `acceptLanguage` (either may be missing or malformed).
    public static func choose(cookie: String?, acceptLanguage: String?) -> WorkbenchLanguage {
        if let cookie, let chosen = WorkbenchLanguage(rawValue: cookie.lowercased()) { return chosen }
        return acceptLanguage.flatMap(preferred(in:)) ?? .vi
    }

    /// The first of vi and en with the highest quality in an `Accept-Language` list, or `nil` when
    /// neither is asked for (`en-US,en;q=0.9` → en; `fr, vi;q=0.5` → vi; `vi;q=0, en;q=0.1` → en).
    static func preferred(in acceptLanguage: String) -> WorkbenchLanguage? {
        var best: (language: WorkbenchLanguage, quality: Int)?
        for item in acceptLanguage.split(separator: ",") {
            let fields = item.split(separator: ";")
            guard let tag = fields.first?.trimmingSpaces().lowercased() else { continue }
            let primary = tag.split(separator: "-").first.map(String.init) ?? tag
            guard let language = WorkbenchLanguage(rawValue: primary) else { continue }
            let quality = fields.dropFirst().lazy.compactMap(Self.quality).first ?? 1000
            if quality > 0, quality > (best?.quality ?? 0) { best = (language, quality) }
        }
        return best?.language
    }

    /// A `q=0.8` parameter as thousandths (800); `nil` when the field is not a quality.
    private static func quality(_ field: Substring) -> Int? {
        let parts = field.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, parts[0].trimmingSpaces().lowercased() == "q" else { return nil }
        let value = parts[1].trimmingSpaces()
        let pieces = value.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = pieces.first, whole == "0" || whole == "1" else { return 0 }
        let fraction = pieces.count > 1 ? String(pieces[1].prefix(3)) : ""
        guard fraction.allSatisfy(\.isASCIIDigit) else { return 0 }
        let thousandths = Int(fraction + String(repeating: "0", count: 3 - fraction.count)) ?? 0
        return whole == "1" ? 1000 : thousandths
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
