import Foundation
import TestSupport
import Testing

/// Unreadable bytes pipelined behind a request that is still being answered get a problem+json 400
/// after that answer, then the connection closes.
@Suite("Pipelined unreadable requests")
struct PipelinedGarbageTests {
    @Test(
        "garbage behind a request in flight is answered with a problem document",
        arguments: [
            "NOT HTTP AT ALL\r\n\r\n",
            "GET /healthz HTTP/1.1\r\nHost x\r\n\r\n",
            "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: banana\r\n\r\n",
            "\u{01}\u{02}\u{03}\r\n\r\n",
        ])
    func pipelinedGarbage(garbage: String) async throws {
        try await ServerTimeoutTests.withServer { port in
            let request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + garbage
            let outcome = try #require(try await RawConnection.open(port: port).send(request))
            #expect(outcome.received.hasPrefix("HTTP/1.1 200"), "\(outcome.received)")
            let start = try #require(outcome.received.range(of: "HTTP/1.1 400 "), "\(outcome.received)")
            let refusal = String(outcome.received[start.lowerBound...])
            #expect(refusal.lowercased().contains("content-type: application/problem+json"))
            #expect(refusal.lowercased().contains("connection: close"))
            #expect(refusal.contains(#""status":400"#))
            #expect(refusal.contains("not readable HTTP/1.1"))
        }
    }

    @Test func garbageAloneIsAnsweredWithAProblemDocument() async throws {
        try await ServerTimeoutTests.withServer { port in
            let outcome = try #require(try await RawConnection.open(port: port).send("NOT HTTP AT ALL\r\n\r\n"))
            #expect(outcome.received.hasPrefix("HTTP/1.1 400"), "\(outcome.received)")
            #expect(outcome.received.contains(#""status":400"#))
        }
    }
}
