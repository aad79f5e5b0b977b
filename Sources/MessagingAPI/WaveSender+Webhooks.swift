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

    /// The template as the webhooks last reported it: APPROVED and not of RED quality, or the wave stops.
    func checkTemplate(sentSoFar: Int) throws -> TemplateRecord? {
        let template = try store.templateRecord(name: settings.template, language: settings.language)
        let status = template?.status?.uppercased()
        let red = template?.quality == "RED"
        guard status == nil || status == "APPROVED", !red else {
            let what = red ? "of RED quality" : "\(status ?? "")"
            throw WamigrateError(
                .stageOrder,
                "template \(settings.template) (\(settings.language)) is \(what) now; "
                    + (sentSoFar == 0
                        ? "nothing was sent" : "the wave stopped after \(sentSoFar) messages, the rest stay planned"),
                hint: red
                    ? "improve the template (or send another), then run send again"
                    : "wait until it is APPROVED again (a status webhook records it), then run send again")
        }
        return template
    }
}
