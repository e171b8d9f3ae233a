import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A plain HTTP GET beside the browser, sending a cookie the browser holds (to download an export, or
/// to try a cookie after sign-out); redirects are answered, not followed.
enum Fetch {
    /// What the server answered.
    struct Answer {
        var status: UInt
        var headers: HTTPHeaders
        var body: String

        /// The first value of the header `name`.
        func header(_ name: String) -> String? { headers.first(name: name) }
    }

    /// `GET url` with `Cookie: name=value`.
    static func get(_ url: String, cookie: (name: String, value: String)) async throws -> Answer {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        return try await HTTPClient.withHTTPClient(configuration: configuration) { client in
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "Cookie", value: "\(cookie.name)=\(cookie.value)")
            let response = try await client.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 64 << 20)
            return Answer(
                status: response.status.code,
                headers: response.headers,
                body: String(decoding: body.readableBytesView, as: UTF8.self)
            )
        }
    }
}
