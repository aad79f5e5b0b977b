import Foundation
import MessagingAPI
import WamigrateCore
import WamigrateStore

enum WavePrinter {
    static func counts(_ counts: [String: Int]) -> String {
        counts.isEmpty ? "none" : counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    static func plan(_ s: WavePlanSummary) {
        print(
            "wave \(s.wave)\(s.dryRun ? " (dry run: nothing stored)" : ""): template \(s.template) (\(s.language), \(s.category))"
        )
        print("from list \(s.list): \(s.candidates) contacts, \(s.planned) planned, excluded: \(counts(s.excluded))")
        if let rollout = s.rollout { RolloutPrinter.plan(rollout) }
        let tier = s.tier.map { "\($0) unique recipients per 24 h" } ?? "no messaging limit"
        print("days at \(tier): \(s.days) (limit: \(s.tierSource))")
        if let forecast = s.forecast, forecast.steps.count > 1 {
            print(
                "as the platform raises the limit (quality holding, every message delivered): \(forecast.days) days: "
                    + forecast.described)
        }
        let priced = s.planned - s.unpriced
        print(
            String(format: "cost: %.2f %@ for %d priced messages", s.cost, s.currency, priced)
                + (s.unpriced > 0 ? "; \(s.unpriced) messages to markets without a rate (not included)" : ""))
    }

    static func send(_ s: WaveSender.Summary) {
        print(
            "wave \(s.wave) via /\(s.route): sent \(s.sent), refused: \(counts(s.refused)), suppressed: \(counts(s.suppressed))")
        // A rate over less than a second says little (n messages, n - 1 gaps): shown from a full second on.
        let rate = s.seconds >= 1 ? String(format: ", %.1f messages/s", s.perSecond) : ""
        print(String(format: "%.1f s%@; retries %d", s.seconds, rate, s.retries))
        if s.answersLost + s.recoveredSent + s.recoveredPlanned + s.inDoubt > 0 {
            print(
                "answers lost: \(s.answersLost); settled as sent by their status webhook: \(s.recoveredSent); "
                    + "planned again: \(s.recoveredPlanned); in doubt now: \(s.inDoubt)"
                    + (s.inDoubt > 0
                        ? " (not sent again until the settle window passes with no status for them, or --resend-in-doubt)"
                        : ""))
        }
        if s.sentToUserID > 0 {
            print("sent to the person's user id, not the old number (they changed number): \(s.sentToUserID)")
        }
        if s.waitingGate > 0 {
            print("held for the rollout's gate: \(s.waitingGate) planned in cohorts not released (`wave advance`)")
        }
        if s.waitingLimit > 0 {
            print("waiting for the messaging limit: \(s.waitingLimit) planned; next room at \(s.nextSlot ?? "unknown")")
        }
        let w = s.webhooks
        print(
            "webhooks taken in: \(w.processed) bodies (\(w.fromReceiver) from the receiver); on WhatsApp \(w.registration.onWhatsApp), "
                + "not on WhatsApp \(w.registration.notOnWhatsApp), marketing stops \(w.marketingStops)")
    }

    static func status(_ r: WaveStatusReport) {
        print(
            "wave \(r.wave): template \(r.template) (\(r.language), \(r.category)), tier \(r.tier.map(String.init) ?? "unlimited")"
        )
        print("messages: \(counts(r.byState))")
        print("delivery (webhooks): \(counts(r.byDelivery))")
        print("error codes: \(counts(r.byError))")
        if !r.excludedByReason.isEmpty { print("excluded at plan: \(counts(r.excludedByReason))") }
        print(String(format: "planned: %d days left, cost %.2f", r.daysLeft, r.plannedCost))
    }
}
