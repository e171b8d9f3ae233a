import Foundation
import NIOHTTP1

/// An element of the current page, as the driver names it.
public struct WebElement: Sendable, Hashable {
    /// The W3C key of an element reference in JSON.
    static let key = "element-6066-11e4-a52e-4f735466cecf"

    /// The driver's id of the element.
    public let id: String

    var json: [String: String] { [Self.key: id] }
}

/// A cookie the browser holds for the current page.
public struct WebDriverCookie: Sendable, Decodable {
    /// The name.
    public var name: String
    /// The value.
    public var value: String
    /// The path it is sent to.
    public var path: String?
    /// Whether scripts cannot read it.
    public var httpOnly: Bool?
    /// Whether it is sent over TLS only.
    public var secure: Bool?
    /// `Strict`, `Lax` or `None`.
    public var sameSite: String?
    /// When it expires (seconds since 1970); `nil` for a cookie of the browsing session.
    public var expiry: Int64?
}

/// One W3C WebDriver session: a browser window driven over HTTP. Every command waits for the page
/// load it starts (the driver's normal page-load strategy); element look-ups wait up to the session's
/// implicit-wait time for the element to appear, so tests need no sleeps.
public struct WebDriverSession: Sendable {
    let transport: WebDriverTransport
    /// The session id.
    public let id: String

    private var prefix: String { "/session/\(id)" }

    /// Opens `url` and waits for it to load.
    public func navigate(to url: String) async throws(WebDriverError) {
        _ = try await transport.send(.POST, prefix + "/url", body: ["url": url])
    }

    /// The address of the current page.
    public func currentURL() async throws(WebDriverError) -> String {
        try await transport.send(.GET, prefix + "/url", as: String.self)
    }

    /// The title of the current page.
    public func title() async throws(WebDriverError) -> String {
        try await transport.send(.GET, prefix + "/title", as: String.self)
    }

    /// The first element matching the CSS `selector`, waiting for it up to the implicit-wait time.
    public func element(_ selector: String) async throws(WebDriverError) -> WebElement {
        let reference = try await transport.send(
            .POST,
            prefix + "/element",
            body: ["using": "css selector", "value": selector],
            as: [String: String].self
        )
        return try Self.element(reference, selector)
    }

    /// The first element matching `selector` inside `parent`.
    public func element(_ selector: String, in parent: WebElement) async throws(WebDriverError) -> WebElement {
        let reference = try await transport.send(
            .POST,
            prefix + "/element/\(parent.id)/element",
            body: ["using": "css selector", "value": selector],
            as: [String: String].self
        )
        return try Self.element(reference, selector)
    }

    /// Every element matching `selector` (none is no error: an empty list after the implicit wait).
    public func elements(_ selector: String) async throws(WebDriverError) -> [WebElement] {
        let references = try await transport.send(
            .POST,
            prefix + "/elements",
            body: ["using": "css selector", "value": selector],
            as: [[String: String]].self
        )
        var found: [WebElement] = []
        for reference in references { found.append(try Self.element(reference, selector)) }
        return found
    }

    /// Clicks `element` (scrolled into view first) and waits for a navigation it starts.
    public func click(_ element: WebElement) async throws(WebDriverError) {
        _ = try await transport.send(.POST, prefix + "/element/\(element.id)/click")
    }

    /// Empties a text field.
    public func clear(_ element: WebElement) async throws(WebDriverError) {
        _ = try await transport.send(.POST, prefix + "/element/\(element.id)/clear")
    }

    /// Types `text` into `element`, as keystrokes.
    public func type(_ text: String, into element: WebElement) async throws(WebDriverError) {
        _ = try await transport.send(.POST, prefix + "/element/\(element.id)/value", body: ["text": text])
    }

    /// Submits `form` by clicking its first submit button, as a person would, and waits for the page it
    /// leads to.
    public func submit(_ form: WebElement) async throws(WebDriverError) {
        let button = try await element(
            "button:not([type=button]):not([type=reset]), input[type=submit]",
            in: form
        )
        try await click(button)
    }

    /// The element's attribute as written in the page (`nil` when absent).
    public func attribute(_ name: String, of element: WebElement) async throws(WebDriverError) -> String? {
        try await transport.send(.GET, prefix + "/element/\(element.id)/attribute/\(name)", as: String?.self)
    }

    /// The element's DOM property, a string or `null` (`href` and `action` resolved to absolute URLs).
    public func property(_ name: String, of element: WebElement) async throws(WebDriverError) -> String? {
        try await transport.send(.GET, prefix + "/element/\(element.id)/property/\(name)", as: String?.self)
    }

    /// The element's rendered text.
    public func text(of element: WebElement) async throws(WebDriverError) -> String {
        try await transport.send(.GET, prefix + "/element/\(element.id)/text", as: String.self)
    }

    /// Runs `script` (a function body; `arguments[i]` are the given elements) and decodes what it returns.
    public func execute<Value: Decodable>(
        _ script: String,
        arguments: [WebElement] = [],
        as type: Value.Type
    ) async throws(WebDriverError) -> Value {
        try await transport.send(
            .POST,
            prefix + "/execute/sync",
            body: ["script": script, "args": arguments.map(\.json)],
            as: type
        )
    }

    /// Runs `script` for its effect.
    public func run(_ script: String, arguments: [WebElement] = []) async throws(WebDriverError) {
        _ = try await transport.send(
            .POST,
            prefix + "/execute/sync",
            body: ["script": script, "args": arguments.map(\.json)]
        )
    }

    /// Sets the size of the browser window (the viewport follows; headless windows have no chrome).
    public func setWindowSize(width: Int, height: Int) async throws(WebDriverError) {
        _ = try await transport.send(.POST, prefix + "/window/rect", body: ["width": width, "height": height])
    }

    /// The cookies the browser holds for the current page.
    public func cookies() async throws(WebDriverError) -> [WebDriverCookie] {
        try await transport.send(.GET, prefix + "/cookie", as: [WebDriverCookie].self)
    }

    /// The current page's HTML, as the browser holds it now.
    public func pageSource() async throws(WebDriverError) -> String {
        try await transport.send(.GET, prefix + "/source", as: String.self)
    }

    /// A PNG picture of the viewport (to keep beside a failure).
    public func screenshot() async throws(WebDriverError) -> Data {
        let text = try await transport.send(.GET, prefix + "/screenshot", as: String.self)
        guard let png = Data(base64Encoded: text) else {
            throw WebDriverError(.unreadableAnswer, "the screenshot is not base64 text")
        }
        return png
    }

    /// Ends the session and closes the browser.
    func quit() async throws(WebDriverError) {
        _ = try await transport.send(.DELETE, prefix)
    }

    private static func element(_ reference: [String: String], _ selector: String) throws(WebDriverError) -> WebElement
    {
        guard let id = reference[WebElement.key] else {
            throw WebDriverError(
                .unreadableAnswer,
                "no element reference in the answer for '\(selector)': \(reference)"
            )
        }
        return WebElement(id: id)
    }
}
