import Foundation

/// The built `taxlink` executable, for tests that must run the real process (durability under
/// SIGKILL, SIGTERM, the command line). It is found next to the running test bundle (the same
/// build folder `swift test` built), or built with `swift build --product taxlink`; when neither
/// works the test fails with ``TaxLinkBinary/Missing``, saying what is missing and how to get it.
/// It never lets a test skip.
public enum TaxLinkBinary {
    /// Why no binary could be had.
    public struct Missing: Error, CustomStringConvertible {
        public let description: String
    }

    /// The package's root folder.
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The path of the executable, building it once per test process when it is not there.
    public static func url() async throws -> URL {
        try await cache.value
    }

    private static let cache = Task<URL, any Error> { try await locateOrBuild() }

    /// How long a build may take (a cold debug build of the package takes about 7 minutes).
    static let buildTimeout: Duration = .seconds(1_500)

    private static func locateOrBuild() async throws -> URL {
        if let found = locate() { return found }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent(
            "taxlink-test-build-\(UUID().uuidString).log"
        )
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }
        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        build.arguments = ["swift", "build", "--product", "taxlink"]
        build.currentDirectoryURL = packageRoot
        build.standardOutput = output
        build.standardError = output
        let ended = AsyncStream<Void>.makeStream()
        build.terminationHandler = { _ in ended.continuation.finish() }
        do {
            try build.run()
        } catch {
            throw Missing(
                description: "the taxlink binary is not built and `swift build --product taxlink` cannot start "
                    + "(\(error)); run it in \(packageRoot.path) first"
            )
        }
        let timeout = Task {
            try await Task.sleep(for: buildTimeout)
            build.terminate()
        }
        for await _ in ended.stream {}
        timeout.cancel()
        guard build.terminationStatus == 0, let built = locate() else {
            let tail = (try? String(contentsOf: log, encoding: .utf8)).map { String($0.suffix(2000)) } ?? ""
            throw Missing(
                description: "the taxlink binary is missing and `swift build --product taxlink` in \(packageRoot.path) "
                    + "did not produce it (exit \(build.terminationStatus), a limit of \(buildTimeout)); run it yourself, "
                    + "then the tests again:\n\(tail)"
            )
        }
        return built
    }

    /// The executable in the test bundle's build folder, else in the package's `.build/debug`.
    private static func locate() -> URL? {
        var candidates: [URL] = []
        if let bundle = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            var folder = bundle.deletingLastPathComponent()
            // On Linux the bundle is `<build>/debug/taxlinkPackageTests.xctest`; on macOS it sits deeper.
            for _ in 0..<4 {
                candidates.append(folder.appendingPathComponent("taxlink"))
                folder = folder.deletingLastPathComponent()
            }
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/taxlink"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}
