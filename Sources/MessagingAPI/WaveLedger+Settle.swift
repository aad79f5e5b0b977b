import WamigrateBase
import WamigrateCore
import WamigrateStore

extension WaveLedger {
    /// Settles what a crashed run left in `sending`, and `in_doubt` messages: sent when a
    /// status webhook names the message's key (taking in webhooks may have done it);
    /// planned again with `resendInDoubt`, or when the settle window passed with no status
    /// for it while statuses for messages sent later did arrive; otherwise in doubt.
    func settleOpen() throws {
        let open =
            try store.waveMessages(options.wave, state: .sending) + store.waveMessages(options.wave, state: .inDoubt)
        doubted.formUnion(open.map(\.id))
        try takeInWebhooks()
        let states = try store.waveMessageStates(open.map(\.id))
        let now = options.now()
        for message in open where states[message.id] != .sent {  // a status webhook just taken in settled those
            if let wamid = try store.wamid(callback: message.idempotencyKey) {
                try store.markTemplateOutcome(message.id, state: .sent, wamid: wamid, reason: "settled_by_webhook", at: now)
                continue
            }
            let sentAt = message.sendingAt ?? 0
            // Whole seconds on both sides: strictly more than the window means at least the window passed.
            let windowPassed =
                try Double(now - sentAt) > options.settleSeconds
                && store.statusArrived(wave: options.wave, sentFrom: sentAt, other: message.id)
            if options.resendInDoubt || windowPassed {
                let reason = options.resendInDoubt ? "resend_in_doubt" : "no_status_in_settle_window"
                try store.markTemplateOutcome(message.id, state: .planned, reason: reason, at: now)
                summary.recoveredPlanned += 1
            } else if message.state == .sending {
                try store.markTemplateOutcome(message.id, state: .inDoubt, reason: "no_answer", at: now)
            }
        }
    }
}
