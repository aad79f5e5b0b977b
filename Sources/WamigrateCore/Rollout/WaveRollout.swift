import Foundation
import WamigrateBase
import WamigrateModel

/// `wave status`, `advance` and `promote` for a wave planned with `--rollout`: the figures per
/// cohort and variant, the gate on the newest cohort out, the variants compared, and the
/// pauses the platform's signals call for. The store counts; the rules are here.
public struct WaveRollout {
    public var settings: WaveSettings
    public var rollout: RolloutSettings
    public var now: Int64

    public init(settings: WaveSettings, now: Int64) throws {
        guard let rollout = settings.rollout else {
            throw WamigrateError(
                .usage, "wave \(settings.name) was planned without --rollout",
                hint: "plan it again with --rollout 1%,10%,50%,100% (and --variants, --gate) before it starts sending")
        }
        self.settings = settings
        self.rollout = rollout
        self.now = now
    }

    public typealias Store = RolloutStore & WaveStore & TemplateStore

    public func status(store: any Store) throws -> RolloutStatus {
        try status(store: store, cells: try store.rolloutCells(settings.name, measuredBefore: now - rollout.wait))
    }

    /// The wave's report and its rollout from one pass over the wave (`wave status`).
    public func statusAndReport(store: any Store) throws -> (WaveStatusReport, RolloutStatus) {
        let counts = try store.rolloutCounts(settings.name, measuredBefore: now - rollout.wait)
        return (counts.report, try status(store: store, cells: counts.cells))
    }

    func status(store: any Store, cells: [RolloutCell]) throws -> RolloutStatus {
        let record = try store.wave(settings.name)
        var status = RolloutStatus()
        status.wave = settings.name
        status.stages = rollout.stages.described
        status.gate = rollout.gate.described
        status.waitSeconds = rollout.wait
        status.released = record.released
        status.promoted = record.promoted
        status.cohorts = (0..<rollout.stages.count).map { index in
            let mine = cells.filter { $0.cohort == index }
            return RolloutStatus.Cohort(
                cohort: index + 1, released: index < record.released, planned: mine.reduce(0) { $0 + $1.planned },
                holdout: mine.reduce(0) { $0 + $1.holdout },
                signals: mine.reduce(SignalCounts()) { $0 + $1.signals })
        }
        status.variants = rollout.split.variants.map { variant in
            let signals = cells.filter { $0.variant == variant.name }.reduce(SignalCounts()) { $0 + $1.signals }
            return RolloutStatus.Variant(
                variant: variant.name, template: variant.template,
                figures: RolloutSignal.allCases.map { signal in
                    let observed = signals.proportion(signal)
                    return RolloutStatus.Figure(signal: signal, observed: observed, interval: observed.wilson())
                }, signals: signals)
        }
        if record.released > 0 {
            status.gateCheck = gateCheck(status.cohorts[min(record.released, status.cohorts.count) - 1])
        }
        if rollout.split.isTest {
            status.comparison = VariantComparison(
                signal: rollout.compare, variants: status.variants.map { ($0.variant, $0.signals) },
                looks: rollout.stages.count)
        }
        if status.cohorts.contains(where: { $0.holdout > 0 }) {
            status.holdout = Self.holdout(
                legacy: try store.holdoutOnLegacy(settings.name),
                whatsapp: status.variants.reduce(SignalCounts()) { $0 + $1.signals })
        }
        let limit = try store.platformLimit()
        status.paused = try pause(store: store, record: record, limit: limit)
        let left = status.cohorts.reduce(0) { $0 + $1.planned }
        if let limit {
            // The platform's newest word moves the calendar as soon as it arrives (§9.3).
            status.forecast = TierForecast(audience: left, startLimit: limit.tier)
            status.forecastFrom = limit.described
        } else if let tier = record.tier {
            status.forecast = TierForecast(audience: left, startLimit: tier)
            status.forecastFrom = "the wave's limit"
        }
        status.decisions = try store.rolloutDecisions(settings.name)
        return status
    }

    /// The gate on one cohort; a cohort smaller than the gate's sample is judged whole, and
    /// planned messages not sent yet count as waiting.
    func gateCheck(_ cohort: RolloutStatus.Cohort) -> GateCheck {
        var gate = rollout.gate
        let size = cohort.signals.measured + cohort.signals.waiting + cohort.planned
        gate.minimumSample = min(gate.minimumSample, max(1, size))
        var signals = cohort.signals
        signals.waiting += cohort.planned
        return gate.check(signals)
    }

    /// A template of the wave RED or not APPROVED, or a messaging limit lower than the one the
    /// wave runs under: the wave waits (send stops on the first; advance refuses on both).
    func pause(store: any Store, record: WaveRecord, limit: PlatformLimit?) throws -> String? {
        for template in settings.templates {
            let current = try store.templateRecord(name: template, language: settings.language)
            if current?.quality?.uppercased() == "RED" { return "template \(template) is of RED quality" }
            if let state = current?.status?.uppercased(), state != "APPROVED" { return "template \(template) is \(state)" }
        }
        if let limit {
            let lower: Bool =
                switch (limit.tier, record.tier) {
                case (.some(let new), .some(let old)): new < old
                case (.some, .none): true
                default: false
                }
            if lower {
                return
                    "the messaging limit fell to \(limit.described), below the \(record.tier.map(String.init) ?? "unlimited") the wave runs under"
            }
        }
        return nil
    }

    /// Releases the next cohort if the newest one's gate holds; otherwise keeps the decision and
    /// says which figure failed and by how much (or what it waits for).
    public func advance(store: any Store) throws -> RolloutStatus {
        let status = try status(store: store)
        guard status.released < rollout.stages.count else {
            throw WamigrateError(
                .stageOrder,
                "every cohort of wave \(settings.name) is out already (\(status.released) of \(rollout.stages.count))",
                hint: "`wave send` sends what is left; `wave status` shows the figures")
        }
        if let paused = status.paused {
            throw WamigrateError(
                .stageOrder, "wave \(settings.name) is paused: \(paused); no cohort was released",
                hint: "wait for the template or the limit to recover (a webhook records it), then advance again")
        }
        guard let check = status.gateCheck else {
            throw WamigrateError(.stageOrder, "wave \(settings.name) has no cohort out yet", hint: "run `wave send` first")
        }
        let cohort = status.released - 1
        let holds = check.verdict == .holds
        let detail = Self.describe(check, cohort: cohort + 1, wait: rollout.wait)
        try store.recordRolloutDecision(
            RolloutDecision(
                wave: settings.name, cohort: cohort, at: now, verdict: check.verdict.rawValue, sample: check.sample,
                detail: detail, released: holds ? status.released + 1 : status.released))
        guard holds else {
            throw WamigrateError(
                .stageOrder, "cohort \(cohort + 1) of wave \(settings.name) did not pass its gate: \(detail)",
                hint: check.verdict == .fails
                    ? "the next cohort stays back; fix the template or the audience, or plan a new wave"
                    : "run `wave send` (and let the webhooks arrive), then advance again")
        }
        return try self.status(store: store)
    }

    /// The rest of the wave goes out with `variant`: every planned message takes its template and
    /// every cohort is released. The data need not support it; the decision says whether they did.
    public func promote(_ variant: String, store: any Store) throws -> RolloutStatus {
        guard let chosen = rollout.split.named(variant) else {
            throw WamigrateError(
                .usage, "wave \(settings.name) has no variant \(variant)",
                hint: "its variants are \(rollout.split.variants.map(\.name).joined(separator: ", "))")
        }
        let status = try status(store: store)
        if let paused = status.paused {
            throw WamigrateError(
                .stageOrder, "wave \(settings.name) is paused: \(paused); nothing was promoted",
                hint: "wait for the template or the limit to recover, then promote again")
        }
        let support =
            status.comparison.map { comparison in
                comparison.winner == variant
                    ? "the data support \(variant) on \(comparison.signal.rawValue) at \(Self.percent(comparison.level))"
                    : "the data do not show \(variant) better on \(comparison.signal.rawValue)"
                        + (comparison.winner.map { " (they support \($0))" } ?? "")
            } ?? "one variant"
        try store.promote(
            settings.name, variant: chosen.name,
            decision: RolloutDecision(
                wave: settings.name, cohort: max(0, status.released - 1), at: now, verdict: "promoted",
                sample: status.variants.reduce(0) { $0 + $1.signals.measured },
                detail: "promoted \(chosen.name) (\(chosen.template)): \(support)", released: rollout.stages.count))
        return try self.status(store: store)
    }

    /// The holdout's legacy figures and WhatsApp − legacy on the signals both channels have.
    static func holdout(legacy: SignalCounts, whatsapp: SignalCounts) -> RolloutStatus.Holdout {
        let signals: [RolloutSignal] = [.delivered, .replied, .optout]
        return RolloutStatus.Holdout(
            signals: legacy,
            figures: signals.map {
                RolloutStatus.Figure(signal: $0, observed: legacy.proportion($0), interval: legacy.proportion($0).wilson())
            },
            versus: signals.map {
                RolloutStatus.Versus(
                    signal: $0, whatsapp: whatsapp.proportion($0), legacy: legacy.proportion($0),
                    difference: whatsapp.proportion($0).difference(from: legacy.proportion($0)))
            })
    }

    static func describe(_ check: GateCheck, cohort: Int, wait: Int64) -> String {
        switch check.verdict {
        case .holds: "cohort \(cohort) holds on \(check.sample) messages"
        case .fails: check.failures.joined(separator: "; ")
        case .waiting:
            "\(check.waiting) messages of cohort \(cohort) are not sent or younger than the \(wait) s wait (\(check.sample) measured)"
        case .tooFew: "\(check.sample) measured messages, fewer than the gate's sample"
        }
    }

    public static func percent(_ level: Double) -> String { String(format: "%g%%", (level * 10_000).rounded() / 100) }
}
