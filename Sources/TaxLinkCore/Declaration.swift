/// A platform's monthly withholding declaration (schedule 01-1/BK-CNKD-TMĐT), rows summed per
/// seller and business group.
public struct Declaration: Sendable, Hashable {
    /// One seller and business group of the declaration.
    public struct Row: Sendable, Hashable {
        public var platformSellerID: String
        public var sellerName: String
        /// The normalised tax id as declared (tax code or personal id), or the raw text when invalid.
        public var taxID: String?
        public var resident: Bool
        public var group: BusinessGroup
        public var revenue: Int64
        public var vat: Int64
        public var pit: Int64

        public init(
            platformSellerID: String, sellerName: String, taxID: String?, resident: Bool, group: BusinessGroup,
            revenue: Int64, vat: Int64, pit: Int64
        ) {
            self.platformSellerID = platformSellerID
            self.sellerName = sellerName
            self.taxID = taxID
            self.resident = resident
            self.group = group
            self.revenue = revenue
            self.vat = vat
            self.pit = pit
        }
    }

    public var platform: String
    public var period: TaxPeriod
    /// Rows sorted by seller id, then group; one per seller and group.
    public var rows: [Row]

    public init(platform: String, period: TaxPeriod, rows: [Row]) {
        self.platform = platform
        self.period = period
        self.rows = rows
    }
}
