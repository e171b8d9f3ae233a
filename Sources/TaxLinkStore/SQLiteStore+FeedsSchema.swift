import GRDB

extension SQLiteStore {
    /// A feed's counts move from one JSON summary into columns, and its rejections into a table of
    /// their own, so a feed of millions of bad items is written in chunks and read back paged.
    /// Feeds stored before keep their counts and rejections (moved out of the summary).
    static func registerFeedMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-feed-rejections") { db in
            try db.execute(
                sql: """
                    ALTER TABLE feeds ADD COLUMN received INTEGER;
                    ALTER TABLE feeds ADD COLUMN accepted INTEGER;
                    ALTER TABLE feeds ADD COLUMN duplicates INTEGER;
                    ALTER TABLE feeds ADD COLUMN revised INTEGER;
                    ALTER TABLE feeds ADD COLUMN ignored INTEGER;
                    ALTER TABLE feeds ADD COLUMN rejected_total INTEGER;
                    CREATE TABLE feed_rejections (
                        feed_id TEXT NOT NULL,
                        ordinal INTEGER NOT NULL,
                        item_index INTEGER,
                        line INTEGER,
                        external_id TEXT,
                        code TEXT,
                        reason TEXT NOT NULL,
                        PRIMARY KEY (feed_id, ordinal)
                    ) WITHOUT ROWID;
                    UPDATE feeds SET
                        received = json_extract(summary, '$.received'),
                        accepted = json_extract(summary, '$.accepted'),
                        duplicates = json_extract(summary, '$.duplicates'),
                        revised = json_extract(summary, '$.revised'),
                        ignored = COALESCE(json_extract(summary, '$.ignored'), 0),
                        rejected_total = json_array_length(summary, '$.rejected')
                    WHERE summary IS NOT NULL;
                    INSERT INTO feed_rejections (feed_id, ordinal, item_index, line, external_id, code, reason)
                    SELECT feeds.id, item.key, json_extract(item.value, '$.index'), json_extract(item.value, '$.line'),
                        json_extract(item.value, '$.external_id'), NULL, json_extract(item.value, '$.reason')
                    FROM feeds, json_each(feeds.summary, '$.rejected') AS item
                    WHERE feeds.summary IS NOT NULL;
                    ALTER TABLE feeds DROP COLUMN summary;
                    """
            )
        }
        // The process writing a `receiving` feed (``FeedOwner``), so an opening abandons only the
        // feeds of processes that are gone.
        migrator.registerMigration("v6-feed-owner") { db in
            try db.execute(sql: "ALTER TABLE feeds ADD COLUMN owner TEXT")
        }
        registerRecordFactsMigrations(&migrator)
        registerReconciliationMarkMigrations(&migrator)
    }
}
