import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// Signs in to the analysts' workbench over HTTP as a browser does, for tests of the workbench's
/// routes: the sign-in form (its `taxlink_signin` cookie and hidden `csrf` field), then the POST of the
/// token, then the `taxlink_session` cookie it answers with.
public enum WorkbenchSignIn {
    /// A step of signing in that did not answer as a browser expects.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Signs in with `token`; returns the session cookie's value.
    public static func session(
        _ client: any TestClientProtocol,
        token: String,
        headers: HTTPFields = [:]
    ) async throws -> String {
        let form = try await client.execute(uri: "/analyst/sign-in", method: .get, headers: headers, body: nil)
        guard let check = cookie("taxlink_signin", in: form.headers),
            let csrf = hiddenCSRF(in: String(buffer: form.body))
        else { throw Failure(description: "the sign-in form has no taxlink_signin cookie or csrf field") }
        var fields = headers
        fields[.contentType] = "application/x-www-form-urlencoded"
        fields[.cookie] = "taxlink_signin=\(check)"
        let answer = try await client.execute(
            uri: "/analyst/sign-in",
            method: .post,
            headers: fields,
            body: ByteBuffer(string: "token=\(encoded(token))&csrf=\(encoded(csrf))")
        )
        guard answer.status == .seeOther, let session = cookie("taxlink_session", in: answer.headers) else {
            throw Failure(description: "signing in with the token answered \(answer.status), no session cookie")
        }
        return session
    }

    /// The `Cookie` header of a session.
    public static func cookieHeader(_ session: String) -> HTTPFields { [.cookie: "taxlink_session=\(session)"] }

    /// The CSRF token of a session, from the hidden `csrf` field of the findings page.
    public static func csrf(_ client: any TestClientProtocol, session: String) async throws -> String {
        let page = try await client.execute(uri: "/analyst", method: .get, headers: cookieHeader(session), body: nil)
        guard let csrf = hiddenCSRF(in: String(buffer: page.body)) else {
            throw Failure(description: "the findings page (\(page.status)) has no csrf field")
        }
        return csrf
    }

    /// The value `Set-Cookie` gives cookie `name`.
    public static func cookie(_ name: String, in headers: HTTPFields) -> String? {
        setCookie(name, in: headers).flatMap { line in
            line.split(separator: ";").first.map { String($0.dropFirst(name.count + 1)) }
        }
    }

    /// The whole `Set-Cookie` line of cookie `name`.
    public static func setCookie(_ name: String, in headers: HTTPFields) -> String? {
        headers[values: .setCookie].first { $0.hasPrefix(name + "=") }
    }

    /// The value of the first hidden `csrf` field of a page.
    public static func hiddenCSRF(in html: String) -> String? {
        guard let field = html.range(of: "name=csrf value=\"") else { return nil }
        let rest = html[field.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// `text` percent-encoded for a form body.
    public static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
