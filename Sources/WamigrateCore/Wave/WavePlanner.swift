import Foundation
import WamigrateBase
import WamigrateModel

/// What a wave plan decided.
public struct WavePlanSummary: Codable, Sendable {
    public var wave = ""
    public var template = ""
    public var language = ""
    public var category = ""
    public var list = ""
    public var candidates = 0
    public var planned = 0
    public var excluded: [String: Int] = [:]
    /// Unique recipients per rolling 24 h, and the days the planned messages take at it.
    public var tier: Int?
    /// `--tier`, the platform's announcement it came from, or none (unlimited).
    public var tierSource = ""
    public var days = 0
    /// How the limit grows while the wave goes out (quality holding, every message
    /// delivered), and the days that gives; nil without a limit.
    public var forecast: TierForecast?
    public var cost = 0.0
    public var currency = ""
    /// Planned messages to markets the price table has no rate for (not in `cost`).
    public var unpriced = 0
    public var dryRun = false
    public var rollout: RolloutPlanSummary?
}

/// Where a rollout put the planned people.
public struct RolloutPlanSummary: Codable, Sendable {
    public var stages = ""
    public var gate = ""
    /// Planned messages per cohort (the holdout not counted).
    public var cohorts: [Int] = []
    public var variants: [String: Int] = [:]
    public var holdout = 0
    /// Per cohort: the largest gap, in shares, between the cohort's mix of countries and
    /// languages and the whole audience's (a random draw's spread; 0 is an exact match).
    public var mixGap: [Double] = []
    /// Whether this plan drew with the key of an earlier plan of the wave (everyone kept their place).
    public var keptKey = false
}

/// wave plan: one template message per person on a list whose consent counts for
/// WhatsApp under the job's policy (the ledger decides; an opted-out person is
/// never planned), with the template's body parameters from contact fields, in
/// days of at most the messaging limit's unique recipients.
public struct WavePlanner {
    public var settings: WaveSettings
    public var prices: WhatsAppPrices
    public var now: Int64

    public init(settings: WaveSettings, prices: WhatsAppPrices, now: Int64) {
        self.settings = settings
        self.prices = prices
        self.now = now
    }

    public func plan(store: any WaveStore & TemplateStore, dryRun: Bool) throws -> WavePlanSummary {
        try self.settings.validate()
        let template = try approvedTemplate(settings.template, store: store)
        for other in settings.templates where other != settings.template {
            let record = try approvedTemplate(other, store: store)
            guard record.category.uppercased() == template.category.uppercased(),
                record.bodyParameters == template.bodyParameters
            else {
                throw WamigrateError(
                    .usage,
                    "variant template \(other) differs from \(settings.template) in category or body variables",
                    hint: "variants compare wordings of one message: give templates of one category with the same {{variables}}")
            }
        }
        // Values go in the body's order ({{1}}, {{2}} … or the named variables as written).
        var settings = self.settings
        if let variables = template.bodyParameters {
            settings.parameters.sort {
                (variables.firstIndex(of: $0.variable) ?? .max) < (variables.firstIndex(of: $1.variable) ?? .max)
            }
        }
        let category = template.category.lowercased()
        // The messaging limit: --tier overrides; else what the platform announced last (§9.3).
        if settings.tier != nil {
            settings.tierSource = "--tier"
        } else if let limit = try store.platformLimit() {
            settings.tier = limit.tier
            settings.tierSource = limit.described
        } else {
            settings.tierSource = "none (no --tier, and no limit announced by the platform yet)"
        }
        var summary = WavePlanSummary()
        summary.tierSource = settings.tierSource ?? ""
        summary.wave = settings.name
        summary.template = settings.template
        summary.language = settings.language
        summary.category = template.category.uppercased()
        summary.list = settings.list.rawValue
        summary.tier = settings.tier
        summary.currency = prices.currency
        summary.dryRun = dryRun
        // A re-plan draws with the wave's key: everyone keeps their cohort and variant.
        var keptKey = false
        // People keep the cohorts of a previous plan only when it had the same stages.
        var keepCohorts = false
        if var rollout = settings.rollout {
            let previous = try? store.waveSettings(settings.name).rollout
            keepCohorts = previous?.stages == rollout.stages
            if let previous = previous?.key, previous.count == 32 {
                rollout.key = previous
                keptKey = true
            } else if rollout.key.count != 32 {
                rollout.key = CohortAssignment.newKey()
            }
            settings.rollout = rollout
        }
        let assignment = settings.rollout?.assignment
        var placed = RolloutPlacement(cohorts: settings.rollout?.stages.count ?? 1)
        var missing: [String: Int] = [:]
        let consentCategory = summary.category
        try store.replaceWavePlan(settings.name, policy: settings.policy, dryRun: dryRun) { tables in
            // First pass: who is in, and their places by quota per stratum (a few bytes a person).
            var variants: [UInt8] = []
            var holdouts: [Bool] = []
            var cohorts: [UInt8] = []
            if let assignment {
                var seen = Set<String>()
                var people: [StratifiedCohorts.Person] = []
                try tables.forEachCandidate(list: settings.list) { candidate in
                    guard Self.judge(candidate, settings: settings, category: consentCategory, seen: &seen).reason == nil else {
                        return
                    }
                    let draw = assignment.draw(contactID: candidate.contactID)
                    variants.append(UInt8(draw.variant))
                    holdouts.append(draw.holdout)
                    people.append(
                        .init(
                            stratum: assignment.stratum(region: candidate.region, language: candidate.fields["language"]),
                            point: draw.point, holdout: draw.holdout, kept: keepCohorts ? candidate.previousCohort : nil))
                }
                cohorts = StratifiedCohorts(stages: assignment.stages).cohorts(for: people)
            }
            var next = 0
            var seen = Set<String>()
            try tables.forEachCandidate(list: settings.list) { candidate in
                summary.candidates += 1
                var (reason, parameters, lacking) = Self.judge(
                    candidate, settings: settings, category: consentCategory, seen: &seen)
                if let lacking { missing[lacking, default: 0] += 1 }
                var place = Assignment(cohort: 0, variant: settings.rollout?.split.variants[0].name ?? "A", holdout: false)
                if reason == nil, let assignment {
                    place = Assignment(
                        cohort: Int(cohorts[next]), variant: assignment.split.variants[Int(variants[next])].name,
                        holdout: holdouts[next])
                    next += 1
                    if place.holdout { reason = .holdout }
                    placed.add(place, region: candidate.region, language: candidate.fields["language"])
                }
                var day: Int?
                var cost: Double?
                if reason == nil {
                    let planDay = settings.tier.map { summary.planned / $0 } ?? 0
                    day = planDay
                    summary.planned += 1
                    // Priced on the day it goes out (the table's rates change by date).
                    let sendDay = now + Int64(planDay) * 86_400
                    cost = candidate.region.flatMap { prices.rate($0, category, at: sendDay) }
                    if let cost { summary.cost += cost } else { summary.unpriced += 1 }
                } else {
                    summary.excluded[reason!.rawValue, default: 0] += 1
                }
                try tables.addMessage(
                    contactID: candidate.contactID, e164: candidate.e164, region: candidate.region, day: day,
                    parameters: reason == nil ? parameters : nil, cost: cost, reason: reason, cohort: place.cohort,
                    variant: place.variant)
            }
            if !settings.skipMissing, let (variable, count) = missing.sorted(by: { $0.key < $1.key }).first {
                let field = settings.parameters.first { $0.variable == variable }?.field ?? variable
                throw WamigrateError(
                    .usage,
                    "\(count) contacts have no \(field) for the template's {{\(variable)}}; nothing was planned",
                    hint: "give --fallback \(variable)=TEXT, or --skip-missing to leave them out (reason missing_parameter)")
            }
            let json = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
            try tables.saveWave(
                template: settings.template, language: settings.language, category: summary.category,
                list: settings.list, tier: settings.tier, tierSource: summary.tierSource, settingsJSON: json, at: now)
        }
        summary.days = settings.tier.map { (summary.planned + $0 - 1) / $0 } ?? (summary.planned > 0 ? 1 : 0)
        if let rollout = settings.rollout {
            var plan = placed.summary
            plan.stages = rollout.stages.described
            plan.gate = rollout.gate.described
            plan.keptKey = keptKey
            summary.rollout = plan
        }
        summary.forecast = settings.tier.map { TierForecast(audience: summary.planned, startLimit: $0) }
        return summary
    }

    /// Whether a candidate gets the wave's message, with its parameter values; `lacking` names
    /// the variable a missing field left empty. `seen` holds the numbers planned so far.
    static func judge(
        _ candidate: WaveCandidate, settings: WaveSettings, category: String, seen: inout Set<String>
    ) -> (reason: MessageReason?, parameters: [String], lacking: String?) {
        // A marketing stop excludes the person from MARKETING waves only (contracts §9.4).
        if candidate.tally.state(forCategory: category) == .optedOut { return (.optedOut, [], nil) }
        if candidate.tally.whatsappState(forCategory: category) != .optedIn { return (.consentNotCounted, [], nil) }
        guard let e164 = candidate.e164 else { return (.noNumber, [], nil) }
        guard seen.insert(e164).inserted else { return (.duplicateNumber, [], nil) }
        var parameters: [String] = []
        for parameter in settings.parameters {
            guard let value = candidate.fields[parameter.field] ?? parameter.fallback else {
                return (.missingParameter(parameter.field), [], parameter.variable)
            }
            parameters.append(value)
        }
        return (nil, parameters, nil)
    }

    /// The template record, approved, with every body variable given a field.
    func approvedTemplate(_ name: String, store: any TemplateStore) throws -> TemplateRecord {
        guard let template = try store.templateRecord(name: name, language: settings.language) else {
            throw WamigrateError(
                .stageOrder, "template \(name) (\(settings.language)) is not in this store",
                hint: "submit it first: `wamigrate templates submit FILES --store …` (or check --template and --language)")
        }
        guard template.status?.uppercased() == "APPROVED" else {
            throw WamigrateError(
                .stageOrder,
                "template \(name) (\(settings.language)) is \(template.status ?? "not reviewed yet"), not APPROVED",
                hint: "wait for Meta's review (a message_template_status_update webhook records it), then plan again")
        }
        if let variables = template.bodyParameters {
            let given = Set(settings.parameters.map(\.variable))
            if let first = variables.first(where: { !given.contains($0) }) {
                throw WamigrateError(
                    .usage, "the template's body has {{\(first)}} and no --param gives it",
                    hint: "add --param \(first)=FIELD (fields: \(WaveCandidate.fields.joined(separator: ", ")))")
            }
            if let extra = settings.parameters.first(where: { !variables.contains($0.variable) }) {
                throw WamigrateError(
                    .usage, "--param \(extra.variable)=…: the template's body has no {{\(extra.variable)}}",
                    hint:
                        "its variables are \(variables.isEmpty ? "none" : variables.map { "{{\($0)}}" }.joined(separator: ", "))")
            }
        }
        return template
    }
}
