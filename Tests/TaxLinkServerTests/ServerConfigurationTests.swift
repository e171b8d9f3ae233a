import Foundation
import Logging
import TaxLinkServer
import TaxLinkStore
import Testing

/// The library refuses a configuration it cannot serve, without the command line's checks.
@Suite("Server configuration")
struct ServerConfigurationTests {
    @Test(
        "a timeout of zero or less is refused, by name",
        arguments: [
            (ServerConfiguration.Timeouts(header: .zero), "timeouts.header"),
            (ServerConfiguration.Timeouts(bodyIdle: .seconds(-1)), "timeouts.bodyIdle"),
            (ServerConfiguration.Timeouts(keepAliveIdle: .milliseconds(-5)), "timeouts.keepAliveIdle"),
        ] as [(ServerConfiguration.Timeouts, String)]
    )
    func invalidTimeouts(timeouts: ServerConfiguration.Timeouts, name: String) throws {
        var configuration = ServerConfiguration()
        configuration.timeouts = timeouts
        let error = try #require(throws: ServerConfigurationError.self) { try configuration.validate() }
        #expect(error.code == .invalidTimeout)
        #expect(error.message.contains(name))
    }

    @Test func buildApplicationRefusesAZeroTimeout() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taxlink-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("db.sqlite").path)
        var configuration = ServerConfiguration()
        configuration.timeouts.keepAliveIdle = .zero
        #expect(throws: ServerConfigurationError.self) {
            _ = try buildApplication(
                configuration: configuration, stores: Stores(store),
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        }
    }

    @Test func theDefaultsAreValid() throws {
        try ServerConfiguration().validate()
        try ServerConfiguration.Timeouts(header: .milliseconds(1)).validate()
    }
}
