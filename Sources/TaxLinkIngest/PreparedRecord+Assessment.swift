import TaxLinkCore
import TaxLinkStore

extension PreparedRecord {
    /// Prepares `adapted` for the store with the codes it shows by itself under `rates`
    /// (``TaxLinkCore/RecordAssessment``): ingest assesses, the store only persists the flags.
    public init(assessing adapted: AdaptedRecord, rates: RateSchedule) {
        let assessment = RecordAssessment(
            record: adapted.record,
            sourceDifference: adapted.sourceDifference,
            schedule: rates
        )
        self.init(adapted, flags: assessment.flags)
    }
}
