import Foundation
import Testing

/// Errors are mapped to statuses in one place: the server's handlers throw ``RequestError`` or the
/// errors of other modules, and only `Problem.swift` and `Problem+Mapping.swift` pick a status.
@Suite("One error mapping")
struct ErrorMappingSourceTests {
    static let serverSources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/TaxLinkServer")

    @Test func noHandlerBuildsAProblemByHand() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.serverSources.path)
            .filter { $0.hasSuffix(".swift") && !$0.hasPrefix("Problem") }
        #expect(names.count > 10)
        for name in names {
            let text = try String(contentsOf: Self.serverSources.appendingPathComponent(name), encoding: .utf8)
            #expect(text.range(of: #"Problem\(\s*(\.|HTTPResponse)"#, options: .regularExpression) == nil, "\(name)")
            #expect(text.range(of: #"throws\(Problem\)"#, options: .regularExpression) == nil, "\(name)")
            #expect(!text.contains("func problem(for"), "\(name)")
        }
    }
}
