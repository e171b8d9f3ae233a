import Foundation
import Testing

/// Checks of rendered pages that hold for every workbench page.
enum MarkupChecks {
    /// The start tags named `name` in `html` (`<input …>`), whole.
    static func tags(_ name: String, in html: String) -> [String] {
        matches("<\(name)\\b[^>]*>", in: html)
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        guard let expression = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else {
            Issue.record("bad pattern \(pattern)")
            return []
        }
        let range = NSRange(text.startIndex..., in: text)
        return expression.matches(in: text, range: range).compactMap {
            Range($0.range, in: text).map { String(text[$0]) }
        }
    }

    /// The value of attribute `name` of a start tag (quoted or not).
    static func attribute(_ name: String, of tag: String) -> String? {
        let quoted = matches("\\s\(name)=\"[^\"]*\"", in: tag).first
        if let quoted { return String(quoted.drop { $0 != "\"" }.dropFirst().dropLast()) }
        let bare = matches("\\s\(name)=[^\\s>\"]+", in: tag).first
        return bare.map { String($0.drop { $0 != "=" }.dropFirst()) }
    }

    /// Every control (input that is not hidden, select, textarea) has a label: a `<label for=id>`, or
    /// an `aria-label`; every button has text.
    static func expectEveryControlLabelled(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let labelled = Set(tags("label", in: html).compactMap { attribute("for", of: $0) })
        let controls =
            tags("input", in: html).filter { attribute("type", of: $0) != "hidden" }
            + tags("select", in: html) + tags("textarea", in: html)
        for control in controls {
            let id = attribute("id", of: control)
            let ok = id.map(labelled.contains) == true || attribute("aria-label", of: control) != nil
            #expect(ok, "control without a label: \(control)", sourceLocation: sourceLocation)
        }
        for button in matches("<button\\b[^>]*>[^<]*</button>", in: html) {
            #expect(!button.hasSuffix("></button>"), "button without text: \(button)", sourceLocation: sourceLocation)
        }
    }

    /// No script, no event handler attribute, no hostile string unescaped.
    static func expectNoActiveContent(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!html.lowercased().contains("<script"), sourceLocation: sourceLocation)
        #expect(!html.contains("<img"), sourceLocation: sourceLocation)
        #expect(!html.contains("<svg onload"), sourceLocation: sourceLocation)
        let unquoted = html.replacingOccurrences(of: "\"[^\"]*\"", with: "\"\"", options: .regularExpression)
        #expect(
            matches("<[^>]*\\son[a-z]+\\s*=", in: unquoted).isEmpty,
            "an event handler attribute",
            sourceLocation: sourceLocation
        )
    }
}
