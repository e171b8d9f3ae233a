extension PostgresMigrations {
    /// The narrow columns reconciliation reads (``RecordFacts``), beside each record's body, with the
    /// names of the SQLite store's `v7-record-facts`; the records stored before get them from their
    /// body (parsed once per row), so every row has them; a body that is not JSON leaves its columns
    /// empty, and reconciliation reports that record as `RECONCILE_ERROR`, as it did the body.
    static let recordFacts: [PostgresMigration] = [
        PostgresMigration(
            name: "004-record-facts",
            sql: """
                ALTER TABLE records
                    ADD COLUMN seller_type text COLLATE "C",
                    ADD COLUMN seller_resident boolean,
                    ADD COLUMN seller_tax_code text,
                    ADD COLUMN seller_national_id text,
                    ADD COLUMN gross bigint,
                    ADD COLUMN seller_discount bigint,
                    ADD COLUMN platform_discount bigint,
                    ADD COLUMN shipping_fee bigint,
                    ADD COLUMN buyer_paid bigint,
                    ADD COLUMN platform_fees bigint,
                    ADD COLUMN withheld_vat bigint,
                    ADD COLUMN withheld_pit bigint,
                    ADD COLUMN line_facts text;
                CREATE OR REPLACE FUNCTION pg_temp.taxlink_body_json(body text) RETURNS jsonb
                LANGUAGE plpgsql IMMUTABLE AS $$
                BEGIN
                    RETURN body::jsonb;
                EXCEPTION WHEN others THEN
                    RETURN NULL;
                END
                $$;
                UPDATE records SET
                    seller_type = parsed.j -> 'seller' ->> 'type',
                    seller_resident = (parsed.j -> 'seller' ->> 'resident')::boolean,
                    seller_tax_code = parsed.j -> 'seller' ->> 'tax_code',
                    seller_national_id = parsed.j -> 'seller' ->> 'national_id',
                    gross = (parsed.j -> 'amounts' ->> 'gross')::bigint,
                    seller_discount = (parsed.j -> 'amounts' ->> 'seller_discount')::bigint,
                    platform_discount = (parsed.j -> 'amounts' ->> 'platform_discount')::bigint,
                    shipping_fee = (parsed.j -> 'amounts' ->> 'shipping_fee')::bigint,
                    buyer_paid = (parsed.j -> 'amounts' ->> 'buyer_paid')::bigint,
                    platform_fees = (parsed.j -> 'amounts' ->> 'platform_fees')::bigint,
                    withheld_vat = (parsed.j -> 'withholding' ->> 'vat')::bigint,
                    withheld_pit = (parsed.j -> 'withholding' ->> 'pit')::bigint,
                    line_facts = COALESCE((
                        SELECT string_agg(
                            (line ->> 'category') || ':' || (line ->> 'amount') || ':' || (line ->> 'quantity'),
                            ',' ORDER BY position)
                        FROM jsonb_array_elements(parsed.j -> 'lines') WITH ORDINALITY AS lines(line, position)
                    ), '')
                FROM (SELECT record_id AS id, revision AS rev, pg_temp.taxlink_body_json(body) AS j FROM records) AS parsed
                WHERE records.record_id = parsed.id AND records.revision = parsed.rev AND parsed.j IS NOT NULL;
                DROP FUNCTION pg_temp.taxlink_body_json(text);
                """
        )
    ]
}
