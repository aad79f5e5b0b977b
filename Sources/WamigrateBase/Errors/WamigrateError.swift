/// The one error type library code throws at the user boundary: a stable code,
/// what failed on which input, where, and how to fix it. Never carries a phone
/// number or a name.
public struct WamigrateError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case inputMissing = "E_INPUT_MISSING"
        case inputEmpty = "E_INPUT_EMPTY"
        case inputBinary = "E_INPUT_BINARY"
        case inputEncoding = "E_INPUT_ENCODING"
        case inputNoPhoneColumn = "E_INPUT_NO_PHONE_COLUMN"
        case inputConsent = "E_INPUT_CONSENT"
        case inputCSV = "E_INPUT_CSV"
        case inputJSON = "E_INPUT_JSON"
        case inputScript = "E_INPUT_SCRIPT"
        case templateInvalid = "E_TEMPLATE_INVALID"
        case mapping = "E_MAPPING"
        case config = "E_CONFIG"
        case store = "E_STORE"
        case storeBusy = "E_STORE_BUSY"
        case stageOrder = "E_STAGE_ORDER"
        case output = "E_OUTPUT"
        case booksUnbalanced = "E_BOOKS_UNBALANCED"
        case usage = "E_USAGE"
        case overBudget = "E_OVER_BUDGET"
        case remote = "E_REMOTE"
        case auth = "E_AUTH"
        case worker = "E_WORKER"
        /// The numbering plans shipped with the tool are not the ones libphonenumber runs on.
        case metadata = "E_METADATA"

        /// Process exit status for this code; documented in the README and `--help`.
        public var exitCode: Int32 {
            switch self {
            case .usage: 64
            case .inputMissing, .inputEmpty, .inputBinary, .inputEncoding, .inputNoPhoneColumn, .inputConsent, .inputCSV,
                .inputJSON,
                .inputScript, .templateInvalid,
                .mapping, .config:
                65
            case .store, .output: 74
            case .storeBusy: 75
            case .stageOrder: 66
            case .booksUnbalanced: 3
            case .overBudget: 67
            case .remote, .auth: 69
            case .worker, .metadata: 70
            }
        }
    }

    public struct Location: Sendable, CustomStringConvertible {
        public var file: String
        public var line: Int?
        public var column: Int?

        public init(file: String, line: Int? = nil, column: Int? = nil) {
            self.file = file
            self.line = line
            self.column = column
        }

        public var description: String {
            var text = file
            if let line { text += ":\(line)" }
            if let column { text += ":\(column)" }
            return text
        }
    }

    public var code: Code
    public var message: String
    public var hint: String
    public var location: Location?

    public init(_ code: Code, _ message: String, hint: String, at location: Location? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
        self.location = location
    }

    /// Control characters are dropped: part of a message can come from an input file.
    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        return Terminal.printable("\(place)\(code.rawValue): \(message)\n  fix: \(hint)")
    }
}
