import Crypto
import Dispatch
import Foundation
import Logging
import Phone
import WamigrateBase
import WamigrateModel

/// What normalize did. Goes into stage_runs and the summary.
public struct NormalizeReport: Codable, Sendable {
    public var rows = 0
    public var ok = 0
    public var viberOnly = 0
    public var rejected: [String: Int] = [:]
    public var flags: [String: Int] = [:]
    public var regionSources: [String: Int] = [:]
    public var numberTypes: [String: Int] = [:]
    /// Country cells that name no known country, by value (digits masked), at most
    /// `unknownCountryLimit` values; the rest are counted under "(other)".
    /// (Optional: stores written before these were counted have none.)
    public var unknownCountries: [String: Int]? = [:]
    /// Digits without + valid both nationally and internationally, by the reading kept.
    public var ambiguous: [String: Int]? = [:]
    /// Rows left for a person to confirm (two readings, conflicting evidence), by reason.
    public var review: [String: Int]? = [:]
    public var libraryCalls = 0
    public var cacheHits = 0
    public var phonenumberLibrary = PhoneMetadata.libraryFile
    public var phonenumberMetadata = PhoneMetadata.fingerprint
    /// The numbering-plan metadata in force ("9.0.43 (phonenumbers … )"); nil in older reports.
    public var numberingPlans: String? = PhoneMetadata.metadataVersion
}

/// normalize: every phone cell to E.164 through libphonenumber, or a rejection
/// with one reason. Rows are read in batches and parsed on every core; each worker
/// owns its parser and sees the same inputs every batch, so its cache stays useful.
public struct NormalizeStage: PipelineStage {
    public static let stage = Stage.normalize
    public static let summaryField = \RunSummary.normalize

    public var defaultRegion: String?
    public var countries: CountryResolver
    public var workers: Int
    public var logger: Logger
    public var batchSize = 8192
    /// rows done / total on a terminal (the pipeline passes the CLI's sink).
    public var progress: any ProgressSink = SilentProgress()
    /// This binary, to start `workers` worker processes from (`normalize-worker`);
    /// nil parses on threads in this process (libphonenumber then serialises them
    /// on its regular-expression cache, so two threads reach about 1.4× one).
    public var workerExecutable: String?

    public init(
        defaultRegion: String?, countries: CountryResolver, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
        logger: Logger
    ) {
        self.defaultRegion = defaultRegion?.uppercased()
        self.countries = countries
        self.workers = max(1, workers)
        self.logger = logger
    }

    /// Hands a batch's results from the worker back to the writing thread; the
    /// DispatchGroup wait orders the accesses.
    final class ResultBox: @unchecked Sendable {
        var rows: [OutputRow] = []
        var error: Error?
    }

    struct OutputRow {
        var id: Int64
        var outcome: RowOutcome
        var phone: NormalizedPhone
        var regionSource: String?
        var unknownCountry: String?
    }

    /// What normalize needs to know about a source: its default region and how it
    /// writes numbers (`phone_format` of its profile).
    public struct SourceFacts: Sendable {
        public var defaultRegion: String?
        public var phoneFormat: PhoneFormat
        /// The most significant digits its phone column's scientific cells carry.
        public var columnDigits: Int
    }

    static let unknownCountryLimit = 50

    public static func sourceFacts(_ sources: [SourceSettings]) -> [Int64: SourceFacts] {
        var facts: [Int64: SourceFacts] = [:]
        for source in sources {
            let profile = try? JSONDecoder().decode(MappingProfile.self, from: Data(source.profileJSON.utf8))
            facts[source.id] = SourceFacts(
                defaultRegion: source.defaultRegion?.uppercased(), phoneFormat: profile?.phoneFormat ?? .mixed,
                columnDigits: source.phoneSciDigits)
        }
        return facts
    }

    /// The rows it reads, the job's default region, the numbering plans, the tool, its rules and
    /// the country aliases of the mappings folder: a worker joins a shared normalize only where
    /// all of them are the coordinator's.
    public func fingerprint(upstream: String?) -> String {
        Self.digest(
            upstream ?? "", defaultRegion ?? "", PhoneMetadata.fingerprint, ToolVersion.current, "rules \(Self.rulesVersion)",
            countries.aliasLines)
    }

    public func run(_ context: StageContext) throws -> NormalizeReport {
        if let shared = context.store as? any NormalizeBatchStore { return try runShared(context, store: shared) }
        try Self.requireCurrentPlans()
        let pool = try workerExecutable.flatMap { workers > 1 ? try NormalizeWorkerPool(executable: $0, count: workers) : nil }
        defer { pool?.shutdown() }
        let normalizers = pool == nil ? (0..<workers).map { _ in PhoneNormalizer() } : []
        let parts = pool?.count ?? normalizers.count
        let report = try context.store.replaceNormalized(
            context: context, counts: { ($0.rows, $0.ok + $0.viberOnly) }
        ) { tables in
            var report = NormalizeReport()
            let sources = Self.sourceFacts(try tables.sources())
            // Double-buffered: the workers parse batch n+1 while this thread inserts
            // batch n and reads batch n+2, so SQLite and libphonenumber overlap.
            var last: Int64 = 0
            func fetch() throws -> [PhoneCell] {
                let batch = try tables.cells(after: last, limit: batchSize)
                if let final = batch.last { last = final.id }
                return batch
            }
            let workers = DispatchGroup()
            let inFlight = ResultBox()
            func start(_ batch: [PhoneCell]) {
                workers.enter()
                DispatchQueue.global().async {
                    do {
                        inFlight.rows = try process(batch, parts: parts, sources: sources) { requests, part in
                            if let pool { return try pool.normalize(requests, part: part) }
                            return requests.map {
                                normalizers[part].normalize(
                                    $0.phone, region: $0.region, format: $0.format, columnDigits: $0.columnDigits)
                            }
                        }
                    } catch {
                        inFlight.error = error
                    }
                    workers.leave()
                }
            }
            let total = try tables.inputCount()
            progress.update("normalize", done: 0, total: total, unit: "rows")
            var current = try fetch()
            if !current.isEmpty { start(current) }
            while !current.isEmpty {
                let next = try fetch()
                workers.wait()
                if let error = inFlight.error { throw error }
                let done = inFlight.rows
                if !next.isEmpty { start(next) }
                for result in done {
                    try write(result, into: tables, report: &report)
                }
                progress.update("normalize", done: report.rows, total: total, unit: "rows")
                current = next
            }
            progress.finish("normalize")
            report.libraryCalls = pool?.libraryCalls ?? normalizers.reduce(0) { $0 + $1.libraryCalls }
            report.cacheHits = pool?.cacheHits ?? normalizers.reduce(0) { $0 + $1.cacheHits }
            return report
        }
        logger.info(
            "normalize: \(report.ok) numbers, \(report.viberOnly) Viber-only, \(report.rows - report.ok - report.viberOnly) rejected"
        )
        return report
    }

    /// Refuses to normalize on numbering plans other than the shipped ones: the 2022
    /// plans reject whole mobile ranges (`MetadataSelfCheck`).
    static func requireCurrentPlans() throws {
        let check = MetadataSelfCheck.result
        guard check.inForce else {
            throw WamigrateError(
                .metadata,
                "the numbering plans shipped with wamigrate (\(PhoneMetadata.shippedVersion)) are not in force in "
                    + "\(PhoneMetadata.libraryFile): \(check.failures.joined(separator: "; "))",
                hint: "unset WAMIGRATE_PHONE_METADATA, and run wamigrate as built against Debian's libphonenumber-dev "
                    + "8.12 (see README, Numbering plans); `wamigrate --version` names the plans in force")
        }
    }

    /// Bumped whenever the same rows would normalize differently (2: phone_format,
    /// `ReadingChoice`, the generated country names; 3: current metadata, legacy forms,
    /// national writing, review, column precision), so a re-run never reuses old readings.
    static let rulesVersion = 3

    /// Splits the batch by phone text so equal cells meet the same worker's cache;
    /// `parse` reads one part's cells (in a worker process or on a thread here).
    func process(
        _ batch: [PhoneCell], parts: Int, sources: [Int64: SourceFacts],
        parse: @Sendable ([NormalizeWire.Request], Int) throws -> [NormalizedPhone]
    ) throws -> [OutputRow] {
        let picks = batch.map {
            Self.region(
                country: $0.country, sourceRegion: sources[$0.sourceID]?.defaultRegion, defaultRegion: defaultRegion,
                countries: countries)
        }
        var members = [[Int]](repeating: [], count: parts)
        for index in batch.indices { members[Int(UInt(bitPattern: batch[index].phone.hashValue) % UInt(parts))].append(index) }
        var phones = [NormalizedPhone?](repeating: nil, count: batch.count)
        let failure = ResultBox()
        let failureLock = NSLock()
        phones.withUnsafeMutableBufferPointer { output in
            let out = output
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let requests = members[part].map {
                    NormalizeWire.Request(
                        phone: batch[$0].phone, region: picks[$0].hint,
                        format: sources[batch[$0].sourceID]?.phoneFormat ?? .mixed,
                        columnDigits: sources[batch[$0].sourceID]?.columnDigits ?? 0)
                }
                do {
                    for (index, phone) in zip(members[part], try parse(requests, part)) { out[index] = phone }
                } catch {
                    failureLock.withLock { failure.error = error }
                }
            }
        }
        if let error = failure.error { throw error }
        return batch.indices.map { Self.output(batch[$0], pick: picks[$0], phone: phones[$0]!) }
    }

    /// The region for numbers without +: the row's country, then the source's default
    /// region, then the job's; with how it was known. `unknownCountry` is the country
    /// cell when it names no known country (the defaults then apply, and the row is flagged).
    public static func region(country: String?, sourceRegion: String?, defaultRegion: String?, countries: CountryResolver)
        -> (hint: RegionHint?, source: String?, unknownCountry: String?)
    {
        var unknown: String?
        if let country, !country.trimmedASCII.isEmpty {
            if let code = countries.region(for: country) { return (RegionHint(code, .row), "row_country", nil) }
            unknown = country
        }
        if let sourceRegion { return (RegionHint(sourceRegion, .source), "source_default", unknown) }
        if let defaultRegion { return (RegionHint(defaultRegion, .guess), "job_default", unknown) }
        return (nil, nil, unknown)
    }

    /// The row's outcome from its parsed cell and the region it was read in.
    static func output(
        _ row: PhoneCell, pick: (hint: RegionHint?, source: String?, unknownCountry: String?), phone parsed: NormalizedPhone
    ) -> OutputRow {
        let picked = pick
        var regionSource = picked.source
        var phone = parsed
        if picked.unknownCountry != nil { phone.flags.insert(.unknownCountry) }
        if phone.parsedRegion == "ZZ" && phone.e164 != nil {
            regionSource = phone.flags.contains(.missingPlus) ? "country_code" : "plus"
        }
        let outcome: RowOutcome =
            phone.e164 != nil ? .ok : phone.review != nil ? .review : row.viberID != nil ? .viberOnly : .rejected
        return OutputRow(
            id: row.id, outcome: outcome, phone: phone, regionSource: phone.e164 == nil ? nil : regionSource,
            unknownCountry: picked.unknownCountry)
    }

    func write(_ result: OutputRow, into tables: NormalizedTables, report: inout NormalizeReport) throws {
        let phone = result.phone
        report.rows += 1
        switch result.outcome {
        case .ok:
            report.ok += 1
            report.numberTypes[phone.type?.name ?? "unknown", default: 0] += 1
            report.regionSources[result.regionSource ?? "none", default: 0] += 1
        case .viberOnly: report.viberOnly += 1
        case .rejected: report.rejected[phone.rejection?.rawValue ?? "invalid_number", default: 0] += 1
        case .review: report.review?[phone.review?.rawValue ?? "review", default: 0] += 1
        }
        for flag in phone.flags { report.flags[flag.rawValue, default: 0] += 1 }
        if phone.flags.contains(.ambiguousInternational) { report.ambiguous?["international", default: 0] += 1 }
        if phone.flags.contains(.ambiguousNational) { report.ambiguous?["national", default: 0] += 1 }
        if let country = result.unknownCountry {
            let shown = Redact.digits(country.trimmedASCII)
            let known = report.unknownCountries?[shown] != nil
            let room = (report.unknownCountries?.count ?? 0) < Self.unknownCountryLimit
            report.unknownCountries?[known || room ? shown : "(other)", default: 0] += 1
        }
        try tables.add(
            rowID: result.id, outcome: result.outcome, e164: phone.e164, region: phone.region,
            regionSource: result.regionSource, numberType: phone.type?.name, phoneExtension: phone.phoneExtension.nilIfEmpty,
            extraNumbers: phone.extraNumbers.isEmpty ? nil : phone.extraNumbers.joined(separator: " | "),
            flags: phone.flags.isEmpty ? nil : phone.flagList,
            reason: phone.e164 != nil ? nil : phone.review?.rawValue ?? (phone.rejection ?? .invalidNumber).rawValue,
            candidates: phone.candidates.isEmpty ? nil : phone.candidates.joined(separator: " | "))
    }
}
