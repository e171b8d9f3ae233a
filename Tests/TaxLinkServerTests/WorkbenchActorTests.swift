import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TaxLinkCore
import TaxLinkServer
import TaxLinkStore
import Testing

/// The actor recorded for a change is the person: the signed-in analyst on the page, the token's
/// named person on the API; in the stored history, on the page and in the API's answer.
@Suite("Who changed a finding")
struct WorkbenchActorTests {
    @Test func theActorRecordedIsTheSignedInPerson() async throws {
        try await WorkbenchFixture.with(findings: 2) { workbench in
            let session = try await workbench.signIn("an-token")
            let csrf = try await workbench.csrf(session)
            let changed = try await workbench.post(
                "/analyst/findings/f-0",
                form: [("csrf", csrf), ("status", "acknowledged"), ("note", "đã xem"), ("return", "platform=shopee")],
                cookie: "taxlink_session=\(session)"
            )
            #expect(changed.status == .seeOther)
            #expect(changed.headers[.location] == "/analyst?platform=shopee#f-0")
            let history = try await workbench.store.findingHistoryRows(ids: ["f-0"])["f-0"] ?? []
            #expect(history.map(\.actor) == ["reconciler", "Nguyễn Văn An"])
            let page = String(buffer: try await workbench.get("/analyst?platform=shopee", session: session).body)
            #expect(page.contains("Nguyễn Văn An"))

            let patched = try await workbench.client.execute(
                uri: "/v1/discrepancies/f-0",
                method: .patch,
                headers: [.authorization: "Bearer binh-token", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"status":"resolved","note":"đã sửa"}"#)
            )
            #expect(patched.status == .ok)
            let answer = try JSONParser.parse(Array(patched.body.readableBytesView))
            let actors = answer["history"]?.arrayValue?.compactMap { $0["actor"]?.stringValue }
            #expect(actors == ["reconciler", "Nguyễn Văn An", "Trần Thị Bình"])

            _ = try await workbench.client.execute(
                uri: "/v1/discrepancies/f-1",
                method: .patch,
                headers: [.authorization: "Bearer plain-token", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"status":"acknowledged","note":"xem"}"#)
            )
            let plain = try await workbench.store.findingHistoryRows(ids: ["f-1"])["f-1"] ?? []
            #expect(plain.last?.actor == "analyst")
        }
    }

    /// `TOKEN ROLE [NAME]`: the name is the rest of the entry; without one it is the role's text.
    @Test(arguments: [
        ("t1 analyst Nguyễn Văn An", "analyst", "Nguyễn Văn An"),
        ("t1 analyst", "analyst", "analyst"),
        ("t1=analyst", "analyst", "analyst"),
        ("t1\tplatform:shopee\tshopee feed bot  # comment", "platform:shopee", "shopee feed bot"),
        ("t1 operator   Lê   Cường\r", "operator", "Lê Cường"),
    ])
    func tokensNameAPerson(entry: String, role: String, name: String) throws {
        let identity = try #require(try TokenRegistry.parse(entry).identity(of: "t1"))
        #expect(identity.role.description == role)
        #expect(identity.name == name)
    }
}
