import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The HTTP side of the W3C WebDriver protocol: JSON commands to a driver on loopback, answers of
/// the form `{"value": …}`, failures of the form `{"value": {"error": …, "message": …}}`.
struct WebDriverTransport: Sendable {
    /// `http://127.0.0.1:PORT`.
    let base: String
    /// The longest a command may take (page loads and implicit waits happen inside a command).
    let commandTimeout: Duration

    /// Sends `method path` with a JSON `body` (none for GET and DELETE) and decodes the answer's `value`.
    func send<Value: Decodable>(
        _ method: HTTPMethod,
        _ path: String,
        body: [String: Any]? = nil,
        as type: Value.Type = Ignored.self
    ) async throws(WebDriverError) -> Value {
        let what = "\(method.rawValue) \(path)"
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if method == .POST {
            do {
                request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body ?? [:])))
            } catch {
                throw WebDriverError(.unreadableAnswer, "the arguments of \(what) are not JSON", cause: error)
            }
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        }
        let status: UInt
        let data: Data
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .init(commandTimeout))
            status = response.status.code
            data = Data(try await response.body.collect(upTo: 64 << 20).readableBytesView)
        } catch {
            throw WebDriverError(
                .commandFailed,
                "\(what): the driver at \(base) did not answer within \(commandTimeout)",
                cause: error
            )
        }
        guard status == 200 else {
            let failure = try? JSONDecoder().decode(Answer<Failure>.self, from: data).value
            throw WebDriverError(
                .commandFailed,
                "\(what) failed with \(status): \(failure?.error ?? "?"): \(failure?.message ?? String(decoding: data.prefix(500), as: UTF8.self))",
                webDriverError: failure?.error
            )
        }
        do {
            return try JSONDecoder().decode(Answer<Value>.self, from: data).value
        } catch {
            throw WebDriverError(
                .unreadableAnswer,
                "\(what): unexpected answer \(String(decoding: data.prefix(500), as: UTF8.self))",
                cause: error
            )
        }
    }

    /// Any JSON value, not read (answers whose value is `null` or of no interest).
    struct Ignored: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    private struct Answer<Value: Decodable>: Decodable {
        var value: Value
    }

    private struct Failure: Decodable {
        var error: String
        var message: String
    }
}

extension TimeAmount {
    fileprivate init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
