/// One named step of the PostgreSQL schema.
///
/// Migrations are append-only: a landed migration is never edited, a change is a new one. `sql`
/// may hold several statements separated by `;` (see ``statements``); each migration runs in its
/// own transaction, recorded in `taxlink_migrations` in the same transaction.
struct PostgresMigration: Sendable {
    /// A stable name, ordered by its number: `"001-feeds-records"`.
    let name: String
    /// The statements, `;`-separated.
    let sql: String

    /// The statements of ``sql`` one by one (PostgreSQL's extended protocol, which PostgresNIO
    /// uses, takes one statement per query): split at `;` outside quotes, dollar quotes and comments.
    var statements: [String] { SQLStatementSplitter.split(sql) }
}

/// The schema of the PostgreSQL store, in the order it is applied.
enum PostgresMigrations {
    /// Every migration this build knows: the feed path's tables, then the outbox's, then the findings'.
    static var all: [PostgresMigration] {
        records + outbox + findings + recordFacts + sessions + lookup + reconciliationMarks
    }
}
