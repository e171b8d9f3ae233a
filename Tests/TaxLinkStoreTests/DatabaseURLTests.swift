import Testing

@testable import TaxLinkStore

@Suite struct DatabaseURLTests {
    @Test(arguments: [
        ("sqlite:taxlink-data/taxlink.sqlite", "taxlink-data/taxlink.sqlite"),
        ("sqlite:/var/lib/taxlink.sqlite", "/var/lib/taxlink.sqlite"),
        ("sqlite:///var/lib/taxlink.sqlite", "/var/lib/taxlink.sqlite"),
        ("SQLite:db.sqlite", "db.sqlite"),
    ])
    func sqliteForms(url: String, path: String) throws {
        #expect(try DatabaseURL(parsing: url) == .sqlite(path: path))
    }

    @Test(arguments: [
        (
            "postgres://taxlink@db.example/taxlink",
            PostgresEndpoint(user: "taxlink", host: "db.example", database: "taxlink")
        ),
        (
            "postgresql://app:s3cret@10.0.0.5:6432/tax?sslmode=require",
            PostgresEndpoint(
                user: "app",
                password: Secret("s3cret"),
                host: "10.0.0.5",
                port: 6432,
                database: "tax",
                sslMode: .require
            )
        ),
        (
            "postgres://u%40corp:p%2Fw%3A%40@[::1]:5433/my%20db?sslmode=verify-full",
            PostgresEndpoint(
                user: "u@corp",
                password: Secret("p/w:@"),
                host: "::1",
                port: 5433,
                database: "my db",
                sslMode: .verifyFull
            )
        ),
        ("postgres://u@[fe80::1]/d?sslmode=disable", PostgresEndpoint(user: "u", host: "fe80::1", database: "d")),
        ("POSTGRES://u:@h/d", PostgresEndpoint(user: "u", password: Secret(""), host: "h", database: "d")),
    ])
    func postgresForms(url: String, expected: PostgresEndpoint) throws {
        #expect(try DatabaseURL(parsing: url) == .postgres(expected))
    }

    @Test func passwordFromTheEnvironmentOnlyWhenTheURLHasNone() throws {
        let environment = [DatabaseURL.passwordVariable: "from-env"]
        let bare = try DatabaseURL(parsing: "postgres://u@h/d", environment: environment)
        #expect(bare == .postgres(PostgresEndpoint(user: "u", password: Secret("from-env"), host: "h", database: "d")))
        let given = try DatabaseURL(parsing: "postgres://u:in-url@h/d", environment: environment)
        #expect(given == .postgres(PostgresEndpoint(user: "u", password: Secret("in-url"), host: "h", database: "d")))
    }

    @Test(arguments: [
        ("taxlink.sqlite", DatabaseURLError.Code.unknownScheme),
        ("mysql://u@h/d", .unknownScheme),
        ("sqlite:", .missingPart),
        ("sqlite://", .missingPart),
        ("postgres:u@h/d", .malformed),
        ("postgres://h/d", .missingPart),
        ("postgres://u@h", .missingPart),
        ("postgres://u@h/", .missingPart),
        ("postgres://@h/d", .missingPart),
        ("postgres://u@/d", .missingPart),
        ("postgres://u@h:0/d", .malformed),
        ("postgres://u@h:65536/d", .malformed),
        ("postgres://u@h:54x2/d", .malformed),
        ("postgres://u@h:/d", .malformed),
        ("postgres://u@[::1/d", .malformed),
        ("postgres://u@[::1]x/d", .malformed),
        ("postgres://u:%zz@h/d", .malformed),
        ("postgres://u@h/d?sslmode=prefer", .unknownParameter),
        ("postgres://u@h/d?sslmode=", .unknownParameter),
        ("postgres://u@h/d?connect_timeout=5", .unknownParameter),
    ])
    func malformedURLsAreRefused(url: String, code: DatabaseURLError.Code) {
        #expect(throws: DatabaseURLError.self) { try DatabaseURL(parsing: url) }
        do {
            _ = try DatabaseURL(parsing: url)
        } catch {
            #expect(error.code == code, "\(url): \(error.message)")
            #expect(error.message.hasPrefix("--database: "))
        }
    }

    @Test(arguments: [
        "postgres://app:hunter2@db/tax?sslmode=require",
        "postgres://app:hunter2@db:99999/tax",
        "postgres://app:hun?ter2@db/tax",
        "postgres://app:hun/ter2@db/tax",
        "postgres://app:hunter2@[::1/tax",
    ])
    func thePasswordIsNeverPrinted(url: String) {
        let secret = "hunter2"
        do {
            let parsed = try DatabaseURL(parsing: url, environment: [DatabaseURL.passwordVariable: secret])
            var dumped = ""
            dump(parsed, to: &dumped)
            for text in [parsed.description, String(reflecting: parsed), "\(parsed)", dumped] {
                #expect(!text.contains("hunter"), "\(text)")
            }
        } catch {
            #expect(!error.message.contains("hunter") && !error.message.contains("ter2"), "\(error.message)")
        }
    }

    @Test func descriptionIsTheURLWithoutItsPassword() throws {
        let url = try DatabaseURL(parsing: "postgres://a%20b:pw@[::1]:6000/tax%2Fx?sslmode=verify-full")
        #expect(url.description == "postgres://a%20b@[::1]:6000/tax%2Fx?sslmode=verify-full")
        #expect(try DatabaseURL(parsing: "postgres://u:pw@h/d").description == "postgres://u@h:5432/d")
    }
}
