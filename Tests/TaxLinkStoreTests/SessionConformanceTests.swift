import Foundation
import TaxLinkCore
import Testing

@testable import TaxLinkStore

/// Workbench sessions on both stores: kept in the database, so a session started through one handle
/// (one `serve` process) works through another on the same database; expired and ended sessions are
/// refused; expired ones are pruned.
@Suite("Session storage")
struct SessionConformanceTests {
    static let signedIn = Timestamp(unixSeconds: 1_764_570_000)

    static func session(_ digest: String, name: String = "Nguyễn Văn An", lasting seconds: Int64 = 3600) -> SessionRow {
        SessionRow(
            digest: digest,
            name: name,
            role: "analyst",
            createdAt: signedIn,
            expiresAt: signedIn.adding(seconds: seconds)
        )
    }

    @Test(arguments: StoreKind.allCases)
    func aSessionStartedOnOneHandleWorksOnAnother(kind: StoreKind) async throws {
        try await StoreFixture.withTwoStores(kind) { first, second in
            try await first.insertSession(Self.session("d1"))
            let found = try await second.session(digest: "d1", now: Self.signedIn.adding(seconds: 10))
            #expect(found == Self.session("d1"))
            #expect(try await second.session(digest: "unknown", now: Self.signedIn) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anExpiredSessionIsRefusedAndPruned(kind: StoreKind) async throws {
        try await StoreFixture.withTwoStores(kind) { first, second in
            try await first.insertSession(Self.session("short", lasting: 60))
            try await first.insertSession(Self.session("long", name: "Trần Thị Bình", lasting: 7200))
            let later = Self.signedIn.adding(seconds: 60)
            #expect(try await second.session(digest: "short", now: Self.signedIn.adding(seconds: 59)) != nil)
            #expect(try await second.session(digest: "short", now: later) == nil)
            #expect(try await second.deleteExpiredSessions(now: later) == 1)
            #expect(try await first.session(digest: "short", now: Self.signedIn) == nil)
            #expect(try await first.session(digest: "long", now: later)?.name == "Trần Thị Bình")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anEndedSessionIsRefusedEverywhere(kind: StoreKind) async throws {
        try await StoreFixture.withTwoStores(kind) { first, second in
            try await first.insertSession(Self.session("ended"))
            try await second.deleteSession(digest: "ended")
            try await second.deleteSession(digest: "never-was")
            #expect(try await first.session(digest: "ended", now: Self.signedIn) == nil)
        }
    }
}
