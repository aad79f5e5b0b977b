/// What a store lets an auditor (and the end-to-end tests) read beyond the commands'
/// own reads; each engine conforms as it conforms to `JobStoring`.
public typealias JobReading = RegistrationReading & IdentityReading & InboxReading & BatchReading & LedgerReading & RunReading
