import Foundation
import NIOHTTP1
import TaxLinkCore
import TestSupport
import Testing

/// Issue 7, "What was seen", the items of the HTTP layer: half-sent requests and short bodies (6), a NUL
/// in a filter (12) and the contract drifts (14), against a live `taxlink serve` with 2 s timeouts.
@Suite("Hostile connections against a live server")
struct ConnectionHostilityTests {
    @Test("6. many half-sent requests are closed at the header timeout")
    func halfSentRequests() async throws {
        try await withHostileServer { server in
            let outcomes = try await withThrowingTaskGroup(of: RawConnection.Outcome?.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        let text = index.isMultiple(of: 2) ? "POST /v1/platforms/shopee/orders HTTP/1.1\r\nHost: x\r\n" : "GE"
                        return try await RawConnection.open(port: server.port).send(text, thenAwaitCloseWithin: .seconds(10))
                    }
                }
                return try await group.reduce(into: [RawConnection.Outcome?]()) { $0.append($1) }
            }
            #expect(outcomes.allSatisfy { $0 != nil }, "every half-sent request is closed")
            #expect(outcomes.allSatisfy { $0?.received.isEmpty == true })
        }
    }

    @Test(
        "a timeout flag that is not a positive number of seconds stops serve with its name",
        arguments: [["--header-timeout", "0"], ["--body-timeout", "-1"], ["--keep-alive-timeout", "soon"]])
    func badTimeoutFlag(flag: [String]) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taxlink-flags-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await TaxLinkBinary.run(
            ["serve", "--port", "0", "--no-upload", "--database", "sqlite:\(folder.path)/db.sqlite"] + flag)
        #expect(result.status != 0)
        #expect(result.standardError.contains(flag[0]), "\(result.standardError)")
    }

    @Test("6. a body shorter than its Content-Length is answered 400 and closed")
    func shortBody() async throws {
        try await withHostileServer { server in
            let body = #"{"orders": ["#
            let request =
                "POST /v1/platforms/shopee/orders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer h-shopee\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count + 1000)\r\n\r\n\(body)"
            let outcome = try #require(try await RawConnection.open(port: server.port).send(request))
            #expect(outcome.received.hasPrefix("HTTP/1.1 400"), "\(outcome.received)")
            #expect(outcome.received.contains("application/problem+json"))
        }
    }

    @Test("12. a NUL in a filter value is refused, naming the parameter")
    func nulInAFilter() async throws {
        try await withHostileServer { server in
            for (path, name) in [
                ("/v1/discrepancies?platform=shopee%00lazada", "platform"), ("/v1/discrepancies?seller=9%00", "seller"),
                ("/v1/schedules/shopee/2026-01?format=json%00", "format"),
            ] {
                let answer = try await server.request(.GET, path, token: "h-analyst")
                #expect(answer.status == 400, "\(path)")
                #expect(answer.header("Content-Type") == "application/problem+json")
                #expect(answer.json?["detail"]?.stringValue?.hasPrefix("\(name): ") == true, "\(path)")
            }
        }
    }

    @Test("14. the contract drifts schemathesis found")
    func contractDrift() async throws {
        try await withHostileServer { server in
            let wrongMethod = try await server.request(.GET, "/v1/platforms/shopee/orders", token: "h-shopee")
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.header("Allow") == "POST")
            let patch = try await server.request(
                .PATCH, "/v1/discrepancies/d-1", token: "h-analyst", contentType: "text/plain",
                body: Array(#"{"status": "resolved", "note": "x"}"#.utf8))
            #expect(patch.status == 415)
            for path in ["/v1/discrepancies", "/v1/schedules/shopee/2026-01"] {
                let read = try await server.request(.GET, path, token: "h-operator")
                #expect(read.status == 200, "an operator reads \(path)")
            }
            for path in ["/v1/discrepancies?limit=abc", "/v1/schedules/shopee/2026-13", "/v2/none"] {
                let refused = try await server.request(.GET, path, token: "h-analyst")
                #expect(refused.status >= 400 && refused.status < 500)
                #expect(refused.header("Content-Type") == "application/problem+json", "\(path)")
                #expect(refused.json?["detail"]?.stringValue?.isEmpty == false, "\(path)")
            }
        }
    }

    @Test("14. malformed HTTP gets a problem document, not an empty 400")
    func malformedHTTP() async throws {
        try await withHostileServer { server in
            for text in ["GET /\u{01} HTTP/1.1\r\nHost: x\r\n\r\n", "GET / HTTP/1.1\r\nBad Header\r\n\r\n"] {
                let outcome = try #require(try await RawConnection.open(port: server.port).send(text))
                #expect(outcome.received.hasPrefix("HTTP/1.1 400"), "\(text.debugDescription)")
                #expect(outcome.received.contains("application/problem+json"), "\(text.debugDescription)")
            }
        }
    }

    @Test("14. malformed HTTP pipelined behind a request gets a problem document after that request's answer")
    func pipelinedMalformedHTTP() async throws {
        try await withHostileServer { server in
            let text = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nBad Header\r\n\r\n"
            let outcome = try #require(try await RawConnection.open(port: server.port).send(text))
            #expect(outcome.received.hasPrefix("HTTP/1.1 200"), "\(outcome.received)")
            let refusal = try #require(outcome.received.range(of: "HTTP/1.1 400 "), "\(outcome.received)")
            #expect(outcome.received[refusal.lowerBound...].contains("application/problem+json"))
            #expect(outcome.received[refusal.lowerBound...].contains(#""status":400"#))
        }
    }
}
