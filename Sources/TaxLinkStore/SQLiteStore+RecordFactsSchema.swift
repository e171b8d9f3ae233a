import GRDB

extension SQLiteStore {
    /// The narrow columns reconciliation reads (``RecordFacts``), beside each record's body, filled from
    /// the body for the records stored before; and a covering index over the latest revisions, so a
    /// reconciliation scans a few hundred bytes per record instead of the table's bodies and their
    /// overflow pages. (The new columns come after `body` in the table, so reading them from the table
    /// itself would read every body.)
    static func registerRecordFactsMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v7-record-facts") { db in
            try db.execute(
                sql: """
                    ALTER TABLE records ADD COLUMN seller_type TEXT;
                    ALTER TABLE records ADD COLUMN seller_resident INTEGER;
                    ALTER TABLE records ADD COLUMN seller_tax_code TEXT;
                    ALTER TABLE records ADD COLUMN seller_national_id TEXT;
                    ALTER TABLE records ADD COLUMN gross INTEGER;
                    ALTER TABLE records ADD COLUMN seller_discount INTEGER;
                    ALTER TABLE records ADD COLUMN platform_discount INTEGER;
                    ALTER TABLE records ADD COLUMN shipping_fee INTEGER;
                    ALTER TABLE records ADD COLUMN buyer_paid INTEGER;
                    ALTER TABLE records ADD COLUMN platform_fees INTEGER;
                    ALTER TABLE records ADD COLUMN withheld_vat INTEGER;
                    ALTER TABLE records ADD COLUMN withheld_pit INTEGER;
                    ALTER TABLE records ADD COLUMN line_facts TEXT;
                    \(recordFactsBackfill)
                    CREATE INDEX records_facts ON records (
                        record_id, platform, kind, external_id, original_external_id, seller_id, occurred_at, received_at,
                        status, flags, source_difference, cod, seller_type, seller_resident, seller_tax_code,
                        seller_national_id, gross, seller_discount, platform_discount, shipping_fee, buyer_paid,
                        platform_fees, withheld_vat, withheld_pit, line_facts
                    ) WHERE is_latest = 1;
                    """
            )
        }
    }

    /// Fills the narrow columns of every record from its body (part of the landed `v7-record-facts`:
    /// never change it; tests also run it to derive the columns of a body they damaged).
    static let recordFactsBackfill = """
        UPDATE records SET
            seller_type = json_extract(body, '$.seller.type'),
            seller_resident = json_extract(body, '$.seller.resident'),
            seller_tax_code = json_extract(body, '$.seller.tax_code'),
            seller_national_id = json_extract(body, '$.seller.national_id'),
            gross = json_extract(body, '$.amounts.gross'),
            seller_discount = json_extract(body, '$.amounts.seller_discount'),
            platform_discount = json_extract(body, '$.amounts.platform_discount'),
            shipping_fee = json_extract(body, '$.amounts.shipping_fee'),
            buyer_paid = json_extract(body, '$.amounts.buyer_paid'),
            platform_fees = json_extract(body, '$.amounts.platform_fees'),
            withheld_vat = json_extract(body, '$.withholding.vat'),
            withheld_pit = json_extract(body, '$.withholding.pit'),
            line_facts = COALESCE((
                SELECT group_concat(
                    json_extract(line.value, '$.category') || ':' || json_extract(line.value, '$.amount')
                        || ':' || json_extract(line.value, '$.quantity'),
                    ',')
                FROM json_each(body, '$.lines') AS line
            ), '')
        WHERE json_valid(body);
        UPDATE records SET seller_type = NULL WHERE NOT json_valid(body);
        """
}
