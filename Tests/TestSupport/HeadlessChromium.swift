import Foundation
import NIOHTTP1

/// Debian's headless Chromium driven through `chromedriver` (W3C WebDriver over HTTP on loopback).
///
/// ``withSession(configuration:_:)`` starts the driver on a free port, opens a browser with a fresh
/// profile in a temporary folder, runs the test's body and closes everything again, whatever the body
/// did. Where `chromium` or `chromedriver` is missing it throws ``WebDriverError/Code/browserMissing``,
/// saying `apt-get install chromium chromium-driver`: a browser test fails then, it never skips.
public enum HeadlessChromium {
    /// The two programs a browser test needs.
    public struct Installation: Sendable {
        /// The browser.
        public var chromium: URL
        /// The WebDriver server for it.
        public var chromedriver: URL
    }

    /// How the browser is opened.
    public struct Configuration: Sendable {
        /// The window's size in CSS pixels at the start (``WebDriverSession/setWindowSize(width:height:)`` changes it).
        public var windowWidth = 1280
        /// The window's height.
        public var windowHeight = 900
        /// How long an element look-up waits for the element to appear.
        public var implicitWait: Duration = .seconds(10)
        /// The longest a page may take to load.
        public var pageLoad: Duration = .seconds(30)
        /// How long the driver may take to start and open the browser (a loaded 2-core machine is slow).
        public var startup: Duration = .seconds(60)
        /// The default: 1280 × 900, 10 s implicit wait, 30 s page loads.
        public init() {}
    }

    /// Finds `chromium` and `chromedriver` on `searchPath` (a `PATH`-style list of folders).
    public static func installation(
        searchPath: String = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    ) throws(WebDriverError) -> Installation {
        let folders = searchPath.split(separator: ":").map { URL(fileURLWithPath: String($0)) }
        func find(_ name: String) -> URL? {
            folders.map { $0.appendingPathComponent(name) }.first {
                FileManager.default.isExecutableFile(atPath: $0.path)
            }
        }
        let chromium = find("chromium")
        let driver = find("chromedriver")
        guard let chromium, let driver else {
            let missing = [chromium == nil ? "chromium" : nil, driver == nil ? "chromedriver" : nil].compactMap { $0 }
            throw WebDriverError(
                .browserMissing,
                "the browser test needs headless Chromium and its WebDriver, but \(missing.joined(separator: " and ")) "
                    + "is not on PATH (\(searchPath)); install them with `apt-get install chromium chromium-driver` "
                    + "(.ci/run does)"
            )
        }
        return Installation(chromium: chromium, chromedriver: driver)
    }

    /// Runs `body` with a fresh headless browser session; the browser, its profile and the driver are
    /// gone when it returns or throws.
    public static func withSession<T>(
        configuration: Configuration = Configuration(),
        _ body: (WebDriverSession) async throws -> T
    ) async throws -> T {
        let installation = try installation()
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("taxlink-chromium-\(UUID())")
        defer { try? FileManager.default.removeItem(at: profile) }
        let driver = try await ChromeDriverProcess(
            executable: installation.chromedriver,
            timeout: configuration.startup
        )
        defer { driver.terminate() }
        let opened: OpenedSession
        do {
            opened = try await open(installation, profile: profile, driver: driver, configuration: configuration)
        } catch {
            throw WebDriverError(
                .driverDidNotStart,
                "chromedriver did not open a Chromium session: \(error.message)\nchromedriver wrote:\n"
                    + driver.writtenText.suffix(2_000),
                cause: error
            )
        }
        do {
            let result = try await body(opened.session)
            try await close(opened)
            return result
        } catch {
            try? await close(opened)
            throw error
        }
    }

    private struct OpenedSession {
        var session: WebDriverSession
        var browserProcess: Int32?
    }

    private struct NewSession: Decodable {
        struct Capabilities: Decodable {
            var processID: Int32?
            enum CodingKeys: String, CodingKey { case processID = "goog:processID" }
        }
        var sessionId: String
        var capabilities: Capabilities
    }

    private static func open(
        _ installation: Installation,
        profile: URL,
        driver: ChromeDriverProcess,
        configuration: Configuration
    ) async throws(WebDriverError) -> OpenedSession {
        func milliseconds(_ duration: Duration) -> Int {
            Int(duration.components.seconds) * 1_000 + Int(duration.components.attoseconds / 1_000_000_000_000_000)
        }
        let transport = WebDriverTransport(
            base: "http://127.0.0.1:\(driver.port)",
            commandTimeout: configuration.startup + configuration.pageLoad + configuration.implicitWait
        )
        let arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-extensions", "--disable-background-networking", "--disable-sync", "--disable-crash-reporter",
            "--user-data-dir=\(profile.path)",
            "--window-size=\(configuration.windowWidth),\(configuration.windowHeight)",
        ]
        let capabilities: [String: Any] = [
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "timeouts": [
                "implicit": milliseconds(configuration.implicitWait),
                "pageLoad": milliseconds(configuration.pageLoad),
                "script": milliseconds(configuration.pageLoad),
            ],
            "goog:chromeOptions": ["binary": installation.chromium.path, "args": arguments],
        ]
        let created = try await transport.send(
            .POST,
            "/session",
            body: ["capabilities": ["alwaysMatch": capabilities]],
            as: NewSession.self
        )
        return OpenedSession(
            session: WebDriverSession(transport: transport, id: created.sessionId),
            browserProcess: created.capabilities.processID
        )
    }

    /// Ends the session; when the driver does not answer, ends the browser process itself.
    private static func close(_ opened: OpenedSession) async throws(WebDriverError) {
        do {
            try await opened.session.quit()
        } catch {
            if let browser = opened.browserProcess { kill(browser, SIGKILL) }
            throw error
        }
    }
}
