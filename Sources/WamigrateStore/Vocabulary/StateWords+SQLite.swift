import GRDB
import WamigrateModel

// The model's state words bind as SQLite values (`\(RowOutcome.rejected)` in a GRDB SQL literal).
extension RowOutcome: DatabaseValueConvertible {}
extension RowDisposition: DatabaseValueConvertible {}
extension RunStatus: DatabaseValueConvertible {}
extension VerifyBatchState: DatabaseValueConvertible {}
extension MessageState: DatabaseValueConvertible {}
extension ConsentState: DatabaseValueConvertible {}
extension RegistrationStatus: DatabaseValueConvertible {}
extension ImportList: DatabaseValueConvertible {}
extension ConsentEvent.Kind: DatabaseValueConvertible {}
extension ConsentEvent.Method: DatabaseValueConvertible {}
extension Stage: DatabaseValueConvertible {}
extension Channel: DatabaseValueConvertible {}
extension CloudStatus: DatabaseValueConvertible {}
extension ReceiptStatus: DatabaseValueConvertible {}
extension ListReason: DatabaseValueConvertible {}
extension MessageReason: DatabaseValueConvertible {}
