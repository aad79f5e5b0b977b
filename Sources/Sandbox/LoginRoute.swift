import Foundation
import Hummingbird

/// `POST /v1/users/login`: Basic auth in, a bearer token with `expires_after` out.
/// The factory password must be changed at first login through `new_password`.
struct LoginRoute: Sendable {
    var state: SandboxState
    var lifetime: Double

    func handle(_ request: Request) async throws -> Response {
        guard let (user, password) = Self.basicCredentials(request.headers[.authorization]) else {
            return WireJSON.error(.unauthorized, code: 1005, title: "Access denied", details: "Basic authentication required")
        }
        let body = try await request.body.collect(upTo: 1 << 16)
        var newPassword: String?
        if body.readableBytes > 0 {
            guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
                return WireJSON.error(
                    .badRequest, code: 1009, title: "Parameter value is not valid", details: "body is not a JSON object")
            }
            if let value = object["new_password"] {
                guard let text = value as? String, Self.isStrong(text) else {
                    return WireJSON.error(
                        .badRequest, code: 1009, title: "Parameter value is not valid",
                        details:
                            "new_password must be 8-64 characters with a digit, an upper-case letter, a lower-case letter and a special character"
                    )
                }
                newPassword = text
            }
        }
        switch state.login(user: user, password: password, newPassword: newPassword, lifetime: lifetime) {
        case .denied:
            return WireJSON.error(.unauthorized, code: 1005, title: "Access denied", details: "wrong user name or password")
        case .passwordChangeRequired:
            return WireJSON.error(
                .badRequest, code: 1024, title: "Password Change Required",
                details: "send new_password to change the default password")
        case .token(let token, let expires):
            return WireJSON.response(.ok, ["users": [["token": token, "expires_after": WireJSON.expiresAfter(expires)]]])
        }
    }

    static func basicCredentials(_ header: String?) -> (String, String)? {
        guard let header, header.lowercased().hasPrefix("basic "),
            let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    static func isStrong(_ password: String) -> Bool {
        (8...64).contains(password.count) && password.contains(where: \.isNumber) && password.contains(where: \.isUppercase)
            && password.contains(where: \.isLowercase) && password.contains { !$0.isLetter && !$0.isNumber }
    }
}
