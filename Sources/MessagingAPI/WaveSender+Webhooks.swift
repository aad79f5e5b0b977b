import Foundation
import WamigrateBase
import WamigrateCore
import WamigrateModel

extension WaveSender {
    /// What the receiver spooled and the inbox holds unprocessed: opt-outs, statuses, template updates.
    func takeInWebhooks() throws {
        let mark = try spoolWatch.highWater()
        summary.webhooks.add(try WebhookIngest(keywords: options.keywords, now: options.now()).process(store: store))
        spoolWatch.markSeen(mark)
        lastTakeIn = Date()
    }

    /// Each template of the wave as the webhooks last reported it: APPROVED and not of RED
    /// quality, or the wave stops. Returns the first's record (variants share a category).
    func checkTemplate(sentSoFar: Int) throws -> TemplateRecord? {
        var first: TemplateRecord?
        for (index, name) in settings.templates.enumerated() {
            let template = try store.templateRecord(name: name, language: settings.language)
            if index == 0 { first = template }
            let status = template?.status?.uppercased()
            let red = template?.quality == "RED"
            guard status == nil || status == "APPROVED", !red else {
                let what = red ? "of RED quality" : "\(status ?? "")"
                throw WamigrateError(
                    .stageOrder,
                    "template \(name) (\(settings.language)) is \(what) now; "
                        + (sentSoFar == 0
                            ? "nothing was sent" : "the wave stopped after \(sentSoFar) messages, the rest stay planned"),
                    hint: red
                        ? "improve the template (or send another), then run send again"
                        : "wait until it is APPROVED again (a status webhook records it), then run send again")
            }
        }
        return first
    }
}
