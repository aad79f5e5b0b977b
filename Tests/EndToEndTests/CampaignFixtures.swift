import Foundation
import Testing
import WamigrateTestSupport

/// A small job for campaign tests: exports run through the pipeline with no
/// WhatsApp check (every number lands on the reconsent list), plus commands.
enum CampaignFixtures {
    static let env = ["SMS_ACCOUNT": "ACsandbox:sandbox-sms-token", "VIBER_TOKEN": "sandbox-viber-token"]
    static var messages: [String] {
        ["en", "de", "uk", "ru"].map { Binary.packageRoot + "/mappings/reconsent/\($0).yml" }
    }

    /// `rows` are `phone,name,country,consent,consent_date,language` lines.
    static func job(
        _ folder: TempFolder, _ rows: [String], viber: [String] = [], verifier: [String] = ["--verifier", "none"],
        environment: [String: String] = [:], store: String? = nil
    ) throws -> String {
        let store = store ?? folder.file("job.sqlite")
        var inputs = [
            "--mapping", "generic",
            folder.write("sms.csv", (["phone,name,country,consent,consent_date,language"] + rows).joined(separator: "\n") + "\n"),
        ]
        if !viber.isEmpty {
            let header = "viber_user_id,name,phone,country,language,subscribed,subscribed_at,last_seen"
            inputs += ["--mapping", "viber", folder.write("viber.csv", ([header] + viber).joined(separator: "\n") + "\n")]
        }
        let result = try Binary.run(
            ["run", "--store", store, "--default-region", "DE"] + verifier + inputs, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        return store
    }

    /// Monday 2026-11-23 06:00 UTC unless a test says otherwise.
    static func plan(_ store: String, name: String = "wa_move", _ extra: [String] = []) throws -> Binary.Result {
        try Binary.run(
            ["campaign", "plan", "--store", store, "--name", name, "--message"] + messages
                + ["--start", "2026-11-23T06:00:00Z", "--fallback-zone", "Europe/Berlin", "--sms-per-second", "50"] + extra)
    }

    static func sendArguments(_ store: String, _ sandbox: SandboxProcess, name: String = "wa_move", now: String) -> [String] {
        [
            "campaign", "send", "--store", store, "--name", name, "--now", now, "--sms-endpoint", sandbox.url,
            "--sms-account-env", "SMS_ACCOUNT", "--sms-from", "+4915799990000", "--viber-endpoint", sandbox.url,
            "--viber-token-env", "VIBER_TOKEN",
        ]
    }

    static func send(_ store: String, _ sandbox: SandboxProcess, name: String = "wa_move", now: String = "2026-11-23T10:00:00Z")
        throws -> Binary.Result
    {
        try Binary.run(sendArguments(store, sandbox, name: name, now: now), environment: env)
    }

    static func replies(_ folder: TempFolder, _ store: String, _ lines: [String], name: String = "replies.jsonl") throws
        -> Binary.Result
    {
        let file = folder.write(name, lines.joined(separator: "\n") + "\n")
        return try Binary.run(["campaign", "replies", "--store", store, "--from", file, "--now", "2026-11-23T12:00:00Z"])
    }

    /// A Twilio inbound-message webhook form post.
    static func sms(_ id: String, from: String, _ body: String, at: String) -> String {
        func escape(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
        }
        return "MessageSid=\(id)&From=\(escape(from))&To=%2B4915799990000&Body=\(escape(body))&Timestamp=\(escape(at))"
    }

    /// A Viber `message` webhook body.
    static func viber(_ token: Int, from user: String, _ text: String, at milliseconds: Int64, tracking: String? = nil) -> String
    {
        let track = tracking.map { ",\"tracking_data\":\"\($0)\"" } ?? ""
        return """
            {"event":"message","timestamp":\(milliseconds),"message_token":\(token),"sender":{"id":"\(user)","name":"x"},"message":{"type":"text","text":"\(text)"\(track)}}
            """
    }

    static func json(_ result: Binary.Result) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }
}
