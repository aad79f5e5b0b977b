/// The contacts API's JSON, as contracts.md records it.
struct ContactsRequest: Encodable {
    var blocking = "wait"
    var contacts: [String]
    var forceCheck: Bool

    enum CodingKeys: String, CodingKey {
        case blocking, contacts
        case forceCheck = "force_check"
    }
}

struct ContactsResponse: Decodable {
    struct Item: Decodable {
        var input: String
        var status: String
        var waID: String?

        enum CodingKeys: String, CodingKey {
            case input, status
            case waID = "wa_id"
        }
    }

    var contacts: [Item]?
    var errors: [APIError]?
}

struct LoginRequest: Encodable {
    var newPassword: String?

    enum CodingKeys: String, CodingKey { case newPassword = "new_password" }
}

struct LoginResponse: Decodable {
    struct User: Decodable {
        var token: String
        var expiresAfter: String?

        enum CodingKeys: String, CodingKey {
            case token
            case expiresAfter = "expires_after"
        }
    }

    var users: [User]?
    var errors: [APIError]?
}

/// An item of the error envelope's `errors` array.
struct APIError: Decodable, CustomStringConvertible {
    var code: Int
    var title: String?
    var details: String?

    var description: String {
        "\(code) \(title ?? "")" + (details.map { ": \($0)" } ?? "")
    }
}

struct ErrorEnvelope: Decodable {
    var errors: [APIError]?
}
