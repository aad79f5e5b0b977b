import Foundation
import Phone
import WamigrateBase
import WamigrateModel

/// Builds the auditor's report: the store's figures (each with the query that recomputes
/// it), and the rules Core owns on top of them: the cost of a first template wave at the
/// price table's rates, and the days each messaging tier takes.
public struct ReportBuilder {
    public var masker: Masker
    public var prices: WhatsAppPrices
    public var pricesFile: String
    /// Samples shown per group (rejection reason, conflict kind).
    public var samplesPerGroup = ReportBuilder.defaultSamplesPerGroup
    /// Reuse the run's kept query results while their tables are unchanged.
    public var keptResults = true
    /// The messaging tiers: unique users reachable with templates per rolling 24 h.
    public static let tiers = [250, 2_000, 10_000, 100_000]
    /// Flags of the legacy forms current plans withdrew, rewritten to today's number.
    static let legacyFlags: [PhoneFlag] = [.legacyMXMobileOne, .legacyMXPrefix, .legacyBJEightDigits, .legacyUZTrunkEight]

    public init(masker: Masker, prices: WhatsAppPrices, pricesFile: String) {
        self.masker = masker
        self.prices = prices
        self.pricesFile = pricesFile
    }

    /// What the report asks of the store (the run's end asks the same, to keep the results).
    public static func request(masker: Masker, samplesPerGroup: Int, now: Int64) -> AuditRequest {
        let numbering = AuditRequest.Numbering(
            metadataVersion: PhoneMetadata.metadataVersion, legacyFlags: Self.legacyFlags.map(\.rawValue),
            evidenceFlags: [PhoneFlag.nationalWriting, .scientificZeros].map(\.rawValue),
            reviewHint: { ReviewReason(rawValue: $0)?.hint })
        return AuditRequest(masker: masker, samplesPerGroup: samplesPerGroup, numbering: numbering, now: now)
    }

    /// Samples shown per group unless a caller asks otherwise.
    public static let defaultSamplesPerGroup = 3

    public func build(store: any AuditStore & WaveRollout.Store, now: Int64 = Clock.unixNow()) throws -> AuditReport {
        var request = Self.request(masker: masker, samplesPerGroup: samplesPerGroup, now: now)
        request.keptResults = keptResults
        let figures = try store.auditFigures(request)
        let sections = try figures.sections.map { try $0.id == "rollout" ? rollout($0, store: store, now: now) : $0 }
        let (costSection, cost) = self.cost(figures.readyByMarket)
        let ready = cost.lines.reduce(0) { $0 + $1.contacts }
        let manifest = figures.manifest
        var report = AuditReport(
            generatedAt: ISOTime.string(now), store: store.path, masking: masker.mode.rawValue,
            run: .init(
                id: figures.runID, command: manifest.command, dryRun: manifest.dryRun, status: manifest.status,
                startedAt: manifest.startedAt, finishedAt: manifest.finishedAt),
            books: figures.books, booksQueries: figures.booksQueries, sections: sections + [costSection],
            cost: cost, tierWaves: Self.tiers.map { .init(tier: $0, days: ready == 0 ? 0 : (ready + $0 - 1) / $0) },
            manifest: manifest)
        report.queries = figures.queries
        return report
    }

    /// The rollout section's words: each wave's status as `wave status` gives it at the
    /// report's clock (95 % Wilson intervals, the variants compared, the gate, pauses and why).
    func rollout(_ section: AuditReport.Section, store: any WaveRollout.Store, now: Int64) throws -> AuditReport.Section {
        var section = section
        section.notes.append(
            "A message is measured once sent at least its wave's wait before the report (the cutoff is written into "
                + "rollout.signals' query). Shares carry 95 % Wilson intervals; variants are compared by the Newcombe "
                + "difference at the Bonferroni level over variants and cohorts, with Pearson's chi-squared beside it.")
        let waves = section.figures.first { $0.id == "rollout.released" }?.rows?.map(\.key) ?? []
        for wave in waves {
            let status = try WaveRollout(settings: try store.waveSettings(wave), now: now).status(store: store)
            section.notes.append("wave \(wave): " + status.lines.joined(separator: "\n"))
        }
        return section
    }

    /// The first template wave's cost: every whatsapp_ready contact once, per market and category.
    func cost(_ markets: AuditReport.Figure) -> (AuditReport.Section, AuditReport.Cost) {
        var section = AuditReport.Section(id: "cost", title: "WhatsApp cost of the first template wave")
        section.figures = [markets]
        var lines: [AuditReport.CostLine] = []
        var totals: [String: Double] = [:]
        var unpriced = 0
        for market in markets.rows ?? [] {
            var line = AuditReport.CostLine(market: market.key, contacts: market.value)
            if prices.markets[market.key] != nil {
                var rates: [String: Double] = [:]
                var costs: [String: Double] = [:]
                for category in WhatsAppPrices.categories {
                    let rate = prices.rate(market.key, category) ?? 0
                    rates[category] = rate
                    costs[category] = (rate * Double(market.value) * 10_000).rounded() / 10_000
                    totals[category, default: 0] += costs[category] ?? 0
                }
                line.rates = rates
                line.costs = costs
            } else {
                unpriced += market.value
            }
            lines.append(line)
        }
        section.notes.append(
            "Rates from \(URL(fileURLWithPath: pricesFile).pathComponents.suffix(2).joined(separator: "/")) as of \(prices.asOf) (\(prices.source); \(prices.dated)). Only delivered template messages are billed."
        )
        if (markets.rows ?? []).contains(where: { $0.key == "US" }) {
            section.notes.append(
                "Marketing templates to US numbers have been paused by Meta since 2025-04-01: "
                    + "the US marketing cost is what it would be, not what will be sent.")
        }
        if unpriced > 0 {
            section.notes.append("\(unpriced) contacts are in markets the price table has no rate for; they are not priced.")
        }
        let cost = AuditReport.Cost(
            pricesFile: pricesFile, asOf: prices.asOf, source: prices.source, currency: prices.currency,
            audienceFigure: markets.id, lines: lines, totals: totals.mapValues { ($0 * 10_000).rounded() / 10_000 },
            unpricedContacts: unpriced)
        return (section, cost)
    }
}
