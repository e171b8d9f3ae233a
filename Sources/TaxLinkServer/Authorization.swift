import Foundation
import HTTPTypes
import Hummingbird

/// Checks the bearer token of a request against the role a route needs.
public struct Authorizer: Sendable {
    let tokens: TokenRegistry

    public init(tokens: TokenRegistry) {
        self.tokens = tokens
    }

    /// The caller's role; 401 for a missing or unknown token.
    public func role(of request: Request) throws(RequestError) -> Role {
        guard let header = request.headers[.authorization] else {
            throw RequestError(.unauthorized, "an Authorization: Bearer token is required")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw RequestError(.unauthorized, "the Authorization header must be 'Bearer <token>'")
        }
        guard let role = tokens.role(of: String(parts[1]).trimmingCharacters(in: .whitespaces)) else {
            throw RequestError(.unauthorized, "unknown token")
        }
        return role
    }

    /// Requires one of `allowed`; 403 for a known token in another role.
    @discardableResult
    public func require(_ request: Request, oneOf allowed: [Role]) throws(RequestError) -> Role {
        let role = try role(of: request)
        guard allowed.contains(role) else {
            throw RequestError(.forbidden, "a \(role) token may not use \(request.method) \(request.uri.path)")
        }
        return role
    }
}
