import WamigrateBase
import WamigrateStore

extension CampaignLedger {
    /// Settles what a crashed (or answer-less) run left in `sending`, and `in_doubt` messages.
    func settleOpen() throws {
        var open = try store.campaignMessages(options.campaign, state: .sending)
        open += try store.campaignMessages(options.campaign, state: .inDoubt)
        for message in open { try settle(message) }
    }

    /// SMS: looked up in the provider's message list (found: sent; not found: planned again).
    /// Viber: held in doubt, or planned again with `resendInDoubt`.
    func settle(_ message: OutboundMessage) throws {
        let now = options.now()
        if message.channel == "sms" {
            guard let sms else { return }
            let found: String?
            do {
                found = try sms.find(to: message.address, body: message.text, since: (message.sendingAt ?? now) - 86_400)
            } catch GatewayError.auth(let why) {
                throw WamigrateError(.auth, "the SMS gateway refused the credentials (\(why))", hint: "check --sms-account-env")
            } catch {
                throw WamigrateError(
                    .remote, "cannot look up a message a crashed run may have sent: \(error)",
                    hint: "nothing was sent twice; run the same command again when the gateway answers")
            }
            if let sid = found {
                try store.markOutcome(message.id, state: .sent, providerID: sid, reason: "recovered", at: now)
                summary.recoveredSent += 1
            } else {
                try store.markOutcome(message.id, state: .planned, reason: nil, at: now)
                summary.recoveredPlanned += 1
            }
        } else if options.resendInDoubt {
            try store.markOutcome(message.id, state: .planned, reason: "resend_in_doubt", at: now)
            summary.recoveredPlanned += 1
        } else {
            if message.state != .inDoubt {
                try store.markOutcome(message.id, state: .inDoubt, reason: "no_answer_viber", at: now)
            }
            summary.inDoubt += 1
        }
    }
}
