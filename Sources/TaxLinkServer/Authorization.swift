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
        try identity(of: request).role
    }

    /// Whom the caller's bearer token names; 401 for a missing or unknown token.
    public func identity(of request: Request) throws(RequestError) -> Identity {
        guard let header = request.headers[.authorization] else {
            throw RequestError(.unauthorized, "an Authorization: Bearer token is required")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw RequestError(.unauthorized, "the Authorization header must be 'Bearer <token>'")
        }
        guard let identity = tokens.identity(of: String(parts[1]).trimmingCharacters(in: .whitespaces)) else {
            throw RequestError(.unauthorized, "unknown token")
        }
        return identity
    }

    /// Requires one of `allowed`; 403 for a known token in another role.
    @discardableResult
    public func require(_ request: Request, oneOf allowed: [Role]) throws(RequestError) -> Role {
        try identity(request, oneOf: allowed).role
    }

    /// Whom the caller's token names, which must have one of `allowed`; 403 for a known token in
    /// another role.
    public func identity(_ request: Request, oneOf allowed: [Role]) throws(RequestError) -> Identity {
        let identity = try identity(of: request)
        guard allowed.contains(identity.role) else {
            throw RequestError(
                .forbidden, "a \(identity.role) token may not use \(request.method) \(request.uri.path)")
        }
        return identity
    }
}
