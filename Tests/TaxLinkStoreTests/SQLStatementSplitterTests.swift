import Testing

@testable import TaxLinkStore

@Suite struct SQLStatementSplitterTests {
    @Test(arguments: [
        (
            "CREATE TABLE a (x int); CREATE INDEX a_x ON a (x);",
            ["CREATE TABLE a (x int)", "CREATE INDEX a_x ON a (x)"]
        ),
        ("  SELECT 1  ", ["SELECT 1"]),
        (";;\n;", []),
        ("INSERT INTO t VALUES ('a;b', 'it''s;'); SELECT 2", ["INSERT INTO t VALUES ('a;b', 'it''s;')", "SELECT 2"]),
        ("CREATE TABLE \"x;y\" (v int); SELECT 3", ["CREATE TABLE \"x;y\" (v int)", "SELECT 3"]),
        ("-- a; comment\nSELECT 4; /* b; c */ SELECT 5", ["-- a; comment\nSELECT 4", "/* b; c */ SELECT 5"]),
        (
            "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql; SELECT $tag$ ; $tag$",
            ["CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql", "SELECT $tag$ ; $tag$"]
        ),
        ("SELECT $1; SELECT 6", ["SELECT $1", "SELECT 6"]),
    ])
    func splitsAtStatementEnds(sql: String, statements: [String]) {
        #expect(SQLStatementSplitter.split(sql) == statements)
    }
}
