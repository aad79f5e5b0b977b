import Crypto
import Foundation
import Logging
import Phone
import WamigrateBase
import WamigrateModel

/// What extract did, per source and in total. Goes into stage_runs and the summary.
public struct ExtractReport: Codable, Sendable {
    public struct Source: Codable, Sendable {
        public var name: String
        public var path: String
        public var profile: String
        /// Why this profile: named by the user, or detected from the header (and how).
        public var profileReason: String?
        public var encoding: String
        public var delimiter: String
        public var sha256: String
        public var rows: Int
        public var blankLines: Int
        public var raggedRows: Int
        public var badDates: Int
        public var columns: [String: String]
    }
    public var sources: [Source] = []
    public var rows: Int { sources.reduce(0) { $0 + $1.rows } }
}

/// extract: reads every source into `input_rows`, one row per CSV record, with its
/// file, physical start line and record number. Every file is checked before the
/// store is touched; the rows go in one transaction, so a failure leaves nothing.
public struct ExtractStage {
    public var sources: [SourceSpec]
    public var catalog: MappingCatalog
    public var logger: Logger
    /// KiB read / total on a terminal (rows are not known before the files are read).
    public var progress: any ProgressSink = SilentProgress()

    public init(sources: [SourceSpec], catalog: MappingCatalog, logger: Logger) {
        self.sources = sources
        self.catalog = catalog
        self.logger = logger
    }

    struct Prepared {
        var spec: SourceSpec
        var name: String
        var facts: InputFacts
        var profile: MappingProfile
        var profileReason: String
        var reader: CSVReader
        var header: [String]
        var map: ColumnMap
    }

    /// Opens and checks every source; nothing is written.
    func prepare() throws -> [Prepared] {
        guard !sources.isEmpty else {
            throw WamigrateError(
                .usage, "no input files", hint: "give the export files: wamigrate run --store job.sqlite sms.csv viber.csv")
        }
        var names = Set<String>()
        return try sources.map { spec in
            let facts = try InputInspector.inspect(path: spec.path)
            let detector = ProfileDetector(catalog: catalog)
            if let mapping = spec.mapping, mapping != "auto" { _ = try catalog.profile(mapping) }
            let reader = try CSVReader(path: spec.path, encoding: facts.encoding)
            guard let header = try reader.next() else {
                throw WamigrateError(
                    .inputEmpty, "file has no header line", hint: "export again with a header row", at: .init(file: spec.path))
            }
            let headerFields = header.fields.map { $0.trimmedASCII }
            let choice = try detector.choose(mapping: spec.mapping, header: headerFields)
            var profile = choice.profile
            if let format = spec.phoneFormat { profile.phoneFormat = format }
            var map = try ColumnMap.resolve(profile: profile, header: headerFields, file: spec.path)
            var reason = choice.reason
            if map.indices[.consent] == nil, profile.autodetect ?? profile.columns.isEmpty,
                let (index, column) = try ConsentSniffer.find(
                    path: spec.path, encoding: facts.encoding, header: headerFields, taken: Set(map.indices.values))
            {
                map.indices[.consent] = index
                reason += "; consent from column '\(Redact.digits(column))' (its values are consent words)"
            }
            var name = spec.name ?? URL(fileURLWithPath: spec.path).deletingPathExtension().lastPathComponent
            while names.contains(name) { name += "_2" }
            names.insert(name)
            return Prepared(
                spec: spec, name: name, facts: facts, profile: profile, profileReason: reason, reader: reader,
                header: header.fields, map: map)
        }
    }

    /// Bumped whenever the same file and profile would extract differently (2: profiles
    /// detected from the header, consent by value, opt-out columns, unreadable consent fails;
    /// 3: the phone column's scientific precision). The numbering-plan metadata is part of
    /// the fingerprint too: a store extracted under other plans is read again.
    static let rulesVersion = 3

    static let maxCellBytes = 4096

    static func capped(_ cell: String) -> String {
        guard cell.utf8.count > maxCellBytes else { return cell }
        return String(decoding: cell.utf8.prefix(maxCellBytes), as: UTF8.self)
    }

    /// What the results depend on: file contents, profiles (as detected), names, order.
    func fingerprint(_ prepared: [Prepared]) -> String {
        var hasher = SHA256()
        hasher.update(data: Data("rules \(Self.rulesVersion)|\(PhoneMetadata.fingerprint)|".utf8))
        for source in prepared {
            let profile = (try? JSONEncoder.sorted.encode(source.profile)) ?? Data()
            hasher.update(
                data: Data(
                    "\(source.name)|\(source.facts.sha256)|\(source.spec.defaultRegion ?? "")|\(source.spec.priority ?? 0)|".utf8)
            )
            hasher.update(data: profile)
        }
        return Hex.string(hasher.finalize())
    }

    /// Reads the prepared sources into the store. `prepared` comes from `prepare()`,
    /// which the pipeline also uses to decide whether the stage is up to date, so
    /// every file is read and hashed once per run. The files are read and their rows
    /// mapped on a thread of their own while this one inserts the rows read before.
    func run(_ prepared: [Prepared], context: StageContext) throws -> ExtractReport {
        try context.store.replaceInputs(context: context, counts: { ($0.rows, $0.rows) }) { tables in
            var report = ExtractReport()
            let totalKiB = prepared.reduce(0) { $0 + Int($1.facts.size) } / 1024
            progress.update("extract", done: 0, total: totalKiB, unit: "KiB")
            let reading = HandOff<ExtractBatch>.start { batches in
                try read(prepared, totalKiB: totalKiB, into: batches)
            }
            defer { reading.stop() }
            while let batch = try reading.take() {
                switch batch {
                case .rows(let rows):
                    for row in rows {
                        try tables.addRow(
                            id: row.id, sourceID: row.sourceID, line: row.line, record: row.record, phone: row.phone,
                            name: row.name, email: row.email, country: row.country, consent: row.consent,
                            consentRaw: row.consentRaw, consentAt: row.consentAt, seenAt: row.seenAt, viberID: row.viberID,
                            tags: row.tags, language: row.language, flags: row.flags)
                    }
                case .sourceEnd(let position, let counts):
                    let source = prepared[position]
                    let entry = ExtractReport.Source(
                        name: source.name, path: source.spec.path, profile: source.profile.name,
                        profileReason: source.profileReason, encoding: source.facts.encoding.rawValue,
                        delimiter: counts.delimiter, sha256: source.facts.sha256, rows: counts.rows,
                        blankLines: counts.blankLines, raggedRows: counts.ragged, badDates: counts.badDates,
                        columns: source.map.described)
                    report.sources.append(entry)
                    try tables.addSource(
                        id: Int64(position + 1), position: position, path: source.spec.path, name: source.name,
                        size: Int64(source.facts.size), sha256: source.facts.sha256,
                        encoding: source.facts.encoding.rawValue, delimiter: entry.delimiter, profile: source.profile.name,
                        profileJSON: String(decoding: try JSONEncoder.sorted.encode(source.profile), as: UTF8.self),
                        columnsJSON: String(decoding: try JSONEncoder.sorted.encode(entry.columns), as: UTF8.self),
                        channel: source.profile.channel,
                        defaultRegion: source.spec.defaultRegion ?? source.profile.defaultRegion,
                        priority: source.spec.priority ?? source.profile.priority ?? 0, rows: counts.rows,
                        blankLines: counts.blankLines, phoneSciDigits: counts.sciDigits)
                    logger.info(
                        "extract: read \(counts.rows) rows",
                        metadata: [
                            "source": "\(source.name)", "encoding": "\(entry.encoding)", "delimiter": "\(entry.delimiter)",
                        ])
                }
            }
            progress.update("extract", done: totalKiB, total: totalKiB, unit: "KiB")
            progress.finish("extract")
            return report
        }
    }

    /// The reading half of `run`, on its own thread: every source's rows in batches, each
    /// source followed by its counts.
    private func read(_ prepared: [Prepared], totalKiB: Int, into batches: HandOff<ExtractBatch>) throws {
        var rowID: Int64 = 0
        var doneKiB = 0
        for (position, source) in prepared.enumerated() {
            var rows: [ExtractedRow] = []
            rows.reserveCapacity(Self.batchSize)
            let counts = try extractRows(source, sourceID: Int64(position + 1), rowID: &rowID) { row in
                rows.append(row)
                if rows.count == Self.batchSize {
                    try batches.put(.rows(rows))
                    rows.removeAll(keepingCapacity: true)
                }
            } read: { read in
                progress.update("extract", done: min(totalKiB, doneKiB + read / 1024), total: totalKiB, unit: "KiB")
            }
            if !rows.isEmpty { try batches.put(.rows(rows)) }
            doneKiB += Int(source.facts.size) / 1024
            try batches.put(.sourceEnd(position: position, counts))
        }
    }

    static let batchSize = 2048

    private func extractRows(
        _ source: Prepared, sourceID: Int64, rowID: inout Int64, emit: (ExtractedRow) throws -> Void,
        read: (Int) -> Void
    ) throws -> SourceCounts {
        let map = source.map
        let width = source.header.count
        let dates = DateParser(order: source.profile.dateOrder?.uppercased() == "MDY" ? .monthFirst : .dayFirst)
        var record = 0
        var ragged = 0
        var badDates = 0
        var unreadable = UnreadableConsent()
        // The writer's precision for scientific notation in the phone column: the most
        // significant digits any such cell carries (`ScientificNotation`).
        var sciDigits = 0
        // Each field's column, looked up once per file instead of once per cell.
        let at = Dictionary(uniqueKeysWithValues: ContactField.allCases.map { ($0, map.indices[$0]) })
        let (nameAt, firstNameAt, lastNameAt, consentColumn, optOutAt) = (
            at[.name]!, at[.firstName]!, at[.lastName]!, at[.consent]!, at[.optOut]!
        )
        let (consentAtColumn, seenAtColumn, emailAt, viberAt) = (at[.consentAt]!, at[.seenAt]!, at[.email]!, at[.viberID]!)
        let (countryAt, tagsAt, languageAt) = (at[.country]!, at[.tags]!, at[.language]!)
        func cell(_ index: Int?, _ fields: [String]) -> String {
            guard let index, index < fields.count else { return "" }
            return fields[index]
        }
        while let row = try source.reader.next() {
            record += 1
            rowID += 1
            if record % 8192 == 0 { read(source.reader.bytesRead) }
            var flags: [String] = []
            if row.fields.count < width { flags.append("ragged_short") }
            if row.fields.count > width { flags.append("ragged_long") }
            if !flags.isEmpty { ragged += 1 }
            var fields = row.fields
            // Bounded work per cell: no field of a contact needs more; a longer one is cut and
            // the row flagged (a phone cell that long is rejected `too_long` by normalize anyway).
            if fields.contains(where: { $0.utf8.count > Self.maxCellBytes }) {
                fields = fields.map(Self.capped)
                flags.append("long_cell")
            }
            var name = cell(nameAt, fields).trimmedASCII
            if name.isEmpty {
                name = [cell(firstNameAt, fields), cell(lastNameAt, fields)]
                    .map { $0.trimmedASCII }.filter { !$0.isEmpty }.joined(separator: " ")
            }
            var consentRaw = cell(consentColumn, fields)
            var consent = ConsentState.read(consentRaw, extra: source.profile.consentValues)
            if consent == nil { unreadable.note(.consent, consentRaw, line: row.line) }
            let optOutRaw = cell(optOutAt, fields)
            switch ConsentState.readOptOut(optOutRaw, extra: source.profile.consentValues) {
            case nil: unreadable.note(.optOut, optOutRaw, line: row.line)
            case .optedOut?:
                consent = .optedOut
                consentRaw = source.header[optOutAt!].trimmedASCII + ": " + optOutRaw
            default: break
            }
            let consentAtRaw = cell(consentAtColumn, fields)
            let seenAtRaw = cell(seenAtColumn, fields)
            let consentAt = consentAtRaw.isEmpty ? nil : dates.parse(consentAtRaw)
            let seenAt = seenAtRaw.isEmpty ? nil : dates.parse(seenAtRaw)
            if (!consentAtRaw.isEmpty && consentAt == nil) || (!seenAtRaw.isEmpty && seenAt == nil) {
                flags.append("bad_date")
                badDates += 1
            }
            let email = cell(emailAt, fields).trimmedASCII.lowercased()
            let viber = cell(viberAt, fields).trimmedASCII
            let phone = map.phone(in: fields)
            if let digits = ScientificNotation.significantDigits(phone), digits > sciDigits { sciDigits = digits }
            try emit(
                ExtractedRow(
                    id: rowID, sourceID: sourceID, line: row.line, record: record, phone: phone,
                    name: name.nilIfEmpty, email: email.nilIfEmpty, country: cell(countryAt, fields).nilIfEmpty,
                    consent: consent ?? .unknown, consentRaw: consentRaw.nilIfEmpty, consentAt: consentAt, seenAt: seenAt,
                    viberID: viber.nilIfEmpty, tags: cell(tagsAt, fields).nilIfEmpty,
                    language: cell(languageAt, fields).nilIfEmpty,
                    flags: flags.isEmpty ? nil : flags.joined(separator: ",")))
        }
        if let error = unreadable.error(map: map, file: source.spec.path) { throw error }
        return SourceCounts(
            rows: record, ragged: ragged, badDates: badDates, sciDigits: sciDigits, blankLines: source.reader.blankLines,
            delimiter: source.reader.delimiterName)
    }
}

/// One input row as extract read and mapped it, before the store.
struct ExtractedRow {
    var id: Int64
    var sourceID: Int64
    var line: Int
    var record: Int
    var phone: String
    var name, email, country: String?
    var consent: ConsentState
    var consentRaw: String?
    var consentAt, seenAt: Int64?
    var viberID, tags, language, flags: String?
}

/// What one source's reading counted, once its last row is read.
struct SourceCounts {
    var rows, ragged, badDates, sciDigits, blankLines: Int
    var delimiter: String
}

/// What extract's reading thread hands its writer: rows, or the end of a source.
enum ExtractBatch {
    case rows([ExtractedRow])
    case sourceEnd(position: Int, SourceCounts)
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

/// Extract with its inputs read and hashed once: what the runner runs and
/// fingerprints (the files' digests, profiles and settings).
struct PreparedExtract: PipelineStage {
    static let stage = Stage.extract
    static let summaryField = \RunSummary.extract
    let extract: ExtractStage
    let sources: [ExtractStage.Prepared]

    func fingerprint(upstream: String?) -> String { extract.fingerprint(sources) }
    func run(_ context: StageContext) throws -> ExtractReport { try extract.run(sources, context: context) }
}
