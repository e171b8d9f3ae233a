import TestSupport
import Testing

/// Checks made on every workbench page the browser shows.
enum PageAudit {
    /// Every address the current page holds: its own URL, each `href`, `src` and form action (as written
    /// and as resolved), and each button's `formaction`.
    static func addresses(in browser: WebDriverSession) async throws -> [String] {
        try await browser.execute(
            """
            const found = [location.href];
            for (const e of document.querySelectorAll('[href], [src], [formaction]')) {
                for (const name of ['href', 'src', 'formaction']) {
                    const value = e.getAttribute(name);
                    if (value !== null) found.push(value);
                }
            }
            for (const form of document.forms) found.push(form.getAttribute('action') ?? '', form.action);
            return found;
            """,
            as: [String].self
        )
    }

    /// Expects that no address of the current page, nor anything else in it, holds `token`; returns
    /// the page's address.
    @discardableResult
    static func expectNoToken(
        _ token: String,
        in browser: WebDriverSession,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        let page = try await browser.currentURL()
        let leaking = try await addresses(in: browser).filter { $0.contains(token) }
        #expect(
            leaking.isEmpty,
            "the analyst token is in an address of \(page): \(leaking)",
            sourceLocation: sourceLocation
        )
        let source = try await browser.pageSource()
        #expect(!source.contains(token), "the analyst token is in the page \(page)", sourceLocation: sourceLocation)
        return page
    }

    /// The page's width against the viewport's: `document.documentElement.scrollWidth` and `window.innerWidth`.
    static func widths(in browser: WebDriverSession) async throws -> (document: Int, viewport: Int) {
        let widths = try await browser.execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            as: [Int].self
        )
        return (widths.first ?? .max, widths.last ?? 0)
    }
}
