import Foundation
import Testing
import WamigrateBase
import WamigrateModel
import WamigratePostgres
import WamigrateStore
import WamigrateTestSupport

/// The auditor's figures (`AuditStore`) come out the same on every engine for the same job, each
/// beside a query in the engine's own SQL that gives it when the auditor runs it as shown
/// (`sqlite3`'s rows through GRDB, `psql` on PostgreSQL).
@Suite("Store: the report's figures on each engine")
struct ReportFiguresEngineTests {
    /// Masked as the commands mask, with a fixed visible prefix (no libphonenumber here).
    static let masker = Masker(mode: .masked, key: nil, visiblePrefix: { String($0.prefix(6)) })
    /// The report's clock: the wave's messages sent an hour (its wait) before it are measured.
    static let now: Int64 = 2_000_000_000

    static let rows = [
        SeedRow(phone: "+4915100000001", e164: "+4915100000001", consent: .optedIn, consentAt: 100, name: "Zoë"),
        SeedRow(phone: "+4915100000002", e164: "+4915100000002", consent: .optedIn, consentAt: 100, name: "Ann"),
        SeedRow(phone: "0151 00000002", e164: "+4915100000002", name: "Ann B"),
        SeedRow(phone: "+4915100000003", e164: "+4915100000003", name: "Tab\there"),
        SeedRow(phone: "+4915100000004", e164: "+4915100000004", consent: .optedOut, consentAt: 200),
        SeedRow(phone: "+4915100000005", e164: "+4915100000005"),
        SeedRow(phone: "+4915100000006", e164: "+4915100000006"),
        SeedRow(phone: "+4915100000007", e164: "+4915100000007"),
        SeedRow(phone: "junk", e164: nil),
        SeedRow(phone: "0151 2", e164: nil),
    ]

    static var request: AuditRequest {
        let numbering = AuditRequest.Numbering(
            metadataVersion: "test", legacyFlags: ["legacy_mx_mobile_one"], evidenceFlags: ["national_writing"],
            reviewHint: { "resolve \($0)" })
        var request = AuditRequest(masker: masker, samplesPerGroup: 2, numbering: numbering, now: now)
        request.keptResults = false
        return request
    }

    /// The job on one engine, through the protocols: the pipeline twice, then a rollout wave of
    /// two cohorts, two variants and a holdout, its messages sent (one failed, one too recent to
    /// be measured) and a gate decision.
    static func seeded(_ engine: StoreEngine) throws -> (store: any JobStoring, kept: AnyObject) {
        let (store, kept) = try engine.fresh()
        try Seed.pipeline(store, rows)
        try Seed.pipeline(store, rows)
        // Cohort, variant and holdout by number: the same on every engine, whatever the salt.
        func digit(_ e164: String?) -> Int { Int(String(e164?.last ?? "0")) ?? 0 }
        try store.replaceWavePlan("spring", policy: ConsentPolicy(), dryRun: false) { tables in
            try tables.forEachCandidate(list: .whatsappReady) { candidate in
                let at = digit(candidate.e164)
                try tables.addMessage(
                    contactID: candidate.contactID, e164: candidate.e164, region: candidate.region, day: 0,
                    parameters: ["-"], cost: 0.01, reason: at == 7 ? .holdout : nil, cohort: at % 2,
                    variant: at % 3 == 0 ? "B" : "A")
            }
            try tables.saveWave(
                template: "t", language: "de", category: "MARKETING", list: .whatsappReady, tier: 250,
                tierSource: "--tier", settingsJSON: #"{"rollout":{"cohorts":2,"wait":3600}}"#, at: 1_900_000_000)
        }
        try store.recordRolloutDecision(
            RolloutDecision(
                wave: "spring", cohort: 0, at: now - 7_200, verdict: "holds", sample: 2, detail: "ok", released: 2))
        for message in try store.plannedTemplates("spring", after: 0, limit: 100) {
            let at = digit(message.e164)
            let sent = at == 6 ? now - 10 : now - 86_400
            #expect(try store.markTemplateSending(message.id, at: sent))
            if at == 5 {
                try store.markTemplateOutcome(message.id, state: .failed, errorCode: "131026", at: sent)
            } else {
                try store.markTemplateOutcome(message.id, state: .sent, wamid: "wamid.\(at)", at: sent)
            }
        }
        return (store, kept)
    }

    /// Where an auditor points `sqlite3` or `psql`.
    static func location(_ store: any JobStoring) -> String {
        (store as? PostgresJobStore)?.address.url ?? store.path
    }

    @Test func theFiguresAreTheSameOnEveryEngine() throws {
        let jobs = try StoreEngine.stages.map { engine in (engine: engine, job: try Self.seeded(engine)) }
        try #require(jobs.count > 1, "set WAMIGRATE_TEST_POSTGRES to compare the engines")
        defer { withExtendedLifetime(jobs) {} }  // the stores must outlive the test
        let figures = try jobs.map { try #require($0.job.store as? any AuditStore).auditFigures(Self.request) }
        let sqlite = figures[0]
        #expect(
            sqlite.sections.map(\.id) == [
                "job", "funnel", "rejections", "numbering", "countries", "merges", "verification", "consent", "waves",
                "rollout",
            ])
        #expect(sqlite.books.balanced && sqlite.runID == 2)
        #expect(!sqlite.sections.flatMap(\.samples).isEmpty)
        let byID = Dictionary(uniqueKeysWithValues: sqlite.sections.flatMap(\.figures).map { ($0.id, $0) })
        #expect(byID["waves.errors"]?.rows == [.init(key: "131026", value: 1)])
        let signals = byID["rollout.signals"]?.rows ?? []
        #expect(signals.contains(.init(key: "spring: A: measured", value: 3)), "\(signals)")
        #expect(byID["rollout.decisions"]?.rows?.first?.key.contains("2033-05-18T01:33:20Z") == true)
        for (index, engine) in figures.enumerated().dropFirst() {
            let name = jobs[index].engine
            #expect(engine.runID == sqlite.runID, "run on \(name)")
            #expect(engine.books == sqlite.books, "books on \(name)")
            #expect(engine.booksQueries == sqlite.booksQueries, "books' queries on \(name)")
            #expect(try Self.json(engine.readyByMarket) == Self.json(sqlite.readyByMarket), "ready by market, \(name)")
            #expect(engine.sections.map(\.id) == sqlite.sections.map(\.id), "sections on \(name)")
            for (section, expected) in zip(engine.sections, sqlite.sections) {
                for (figure, wanted) in zip(section.figures, expected.figures) {
                    #expect(try Self.json(figure) == Self.json(wanted), "\(figure.id) on \(name)")
                }
                #expect(section.figures.count == expected.figures.count, "\(section.id)'s figures on \(name)")
                #expect(try Self.json(section.samples) == Self.json(expected.samples), "\(section.id) samples, \(name)")
                #expect(section.notes == expected.notes, "\(section.id)'s notes on \(name)")
            }
            // Nothing is kept on PostgreSQL: every query ran, as the report says.
            #expect(engine.queries.fromKeptResults == 0 && engine.queries.asked > 30, "\(engine.queries)")
        }
    }

    @Test(arguments: StoreEngine.stages)
    func everyShownQueryGivesItsFigureWhenRunAsShown(_ engine: StoreEngine) throws {
        let (store, kept) = try Self.seeded(engine)
        defer { withExtendedLifetime(kept) {} }  // the store must outlive the test
        let figures = try #require(store as? any AuditStore).auditFigures(Self.request)
        let location = Self.location(store)
        var checked = 0
        for figure in figures.sections.flatMap(\.figures) + [figures.readyByMarket] {
            let rows = try Auditor.recompute(figure.query, in: location)
            if let value = figure.value {
                #expect(rows == [[String(value)]], "\(figure.id) on \(engine)")
            } else {
                #expect(rows == (figure.rows ?? []).map { [$0.key, String($0.value)] }, "\(figure.id) on \(engine)")
            }
            checked += 1
        }
        #expect(checked >= 40)
        for (name, query) in figures.booksQueries {
            let books = figures.books
            let expected = [
                "rows_in": books.rowsIn, "kept": books.kept, "merged": books.merged, "rejected": books.rejected,
                "review": books.review ?? 0,
            ][name]
            #expect(try Auditor.recomputeCount(query, in: location) == expected, "books' \(name) on \(engine)")
        }
    }

    /// A figure as JSON without its query (the one part each engine writes in its own SQL).
    /// A figure without its query, and with the wall-clock times the two seedings wrote (a
    /// stage's `finished_at`) blanked: they differ whenever the seedings straddle a second.
    static func json(_ figure: AuditReport.Figure) throws -> String {
        var figure = figure
        figure.query = ""
        return try json(figure as any Encodable).replacingOccurrences(
            of: #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z"#, with: "<time>", options: .regularExpression)
    }

    static func json(_ value: any Encodable) throws -> String {
        String(decoding: try JSONEncoder.sorted.encode(value), as: UTF8.self)
    }
}
