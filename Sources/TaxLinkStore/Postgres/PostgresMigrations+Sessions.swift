extension PostgresMigrations {
    /// The workbench sessions: the SQLite store's `v8-workbench-sessions`, with the same table and
    /// column names; times are Unix seconds (`bigint`).
    static let sessions: [PostgresMigration] = [
        PostgresMigration(
            name: "005-sessions",
            sql: """
                CREATE TABLE sessions (
                    digest text COLLATE "C" PRIMARY KEY,
                    name text NOT NULL,
                    role text NOT NULL,
                    created_at bigint NOT NULL,
                    expires_at bigint NOT NULL
                );
                CREATE INDEX sessions_by_expiry ON sessions (expires_at);
                """
        )
    ]
}
