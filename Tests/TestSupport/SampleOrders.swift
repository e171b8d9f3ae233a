/// Feed lines the binary tests push.
public enum SampleOrders {
    /// One completed Shopee order line (NDJSON), `K<index>`, of 100 000 VND from a household
    /// seller with a tax id: accepted and stored as one sale record.
    public static func shopee(_ index: Int) -> String {
        #"{"order": {"order_sn": "K\#(index)", "order_status": "COMPLETED", "update_time": 1768000000, "total_amount": 100000, "item_list": [{"item_id": 1, "item_name": "x", "model_sku": "S", "model_quantity_purchased": 1, "model_original_price": 100000}]}, "escrow": {"order_income": {"withholding_vat_tax": 1000, "withholding_pit_tax": 500}}, "seller": {"platform_seller_id": "9", "tax_id": "0100233488", "type": "household", "category": "goods"}}"#
    }
}
