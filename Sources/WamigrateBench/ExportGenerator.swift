import Foundation
import WamigrateBase
import WamigrateCore

/// Deterministic generator of a messy SMS-provider export and a Viber subscriber
/// export for benchmarks and resume tests: the same seed gives the same bytes.
/// People recur across and within files, numbers are written the many ways real
/// exports write them, and a few cells are broken on purpose.
///
/// **Ground truth by construction**: every person's number is built from a country's
/// numbering plan (calling code + a national significant number with an assigned
/// prefix), never from libphonenumber, and `truth.csv` records for every row the
/// person, the E.164 number the row must yield (empty when it must be rejected or
/// kept Viber-only) and the consent the row states. Distinct people always get
/// distinct numbers (the subscriber digits are a bijection of the person's index).
public struct ExportGenerator {
    public var rows: Int
    public var seed: UInt64
    /// Share of rows in the SMS export; the rest go to the Viber export.
    public var smsShare = 0.6
    /// Share of people who opted out (in at least one row).
    public var optOutShare = 0.08

    public init(rows: Int, seed: UInt64 = 42) {
        self.rows = rows
        self.seed = seed
    }

    public struct Files: Sendable {
        public var sms: String
        public var viber: String
        public var truth: String
        public var smsRows: Int
        public var viberRows: Int
    }

    struct Market {
        var region: String
        /// How the SMS export writes the country: codes, names in several languages
        /// and scripts, abbreviations; "" is a blank cell.
        var countryCell: [String]
        var code: String
        var weight: Int
        /// Assigned mobile prefixes of the national significant number.
        var prefixes: [String]
        /// Subscriber digits after the prefix.
        var subscriberDigits: Int
        /// How many distinct national numbers the plan gives.
        var space: Int {
            (0..<subscriberDigits).reduce(prefixes.count) { total, _ in total * 10 }
        }
        var trunk: String
        /// How people write a national number by hand, with the trunk prefix and a separated
        /// or bracketed area code: `A` takes the next digit of the area or operator code,
        /// `#` the next subscriber digit (`8 (AAA) ###-##-##`). Empty: only `trunk` + digits.
        var nationalStyles: [String] = []
        /// Forms current plans withdrew that this market's numbers are still written in.
        var legacy: Legacy = .none

        enum Legacy { case none, mexico, benin, uzbekistan }
    }

    static let markets: [Market] = [
        Market(
            region: "DE", countryCell: ["DE", "Deutschland", "Germany", "de", "", "", "Allemagne", "Германия", "ألمانيا", "DEU"],
            code: "49", weight: 44, prefixes: ["151", "152", "157", "160", "170", "171", "172", "176", "177", "179"],
            subscriberDigits: 8, trunk: "0"),
        Market(
            region: "AT", countryCell: ["AT", "Österreich", "Austria", "AUT"], code: "43", weight: 7,
            prefixes: ["664", "660", "676", "699"], subscriberDigits: 7, trunk: "0"),
        Market(
            region: "GB", countryCell: ["GB", "UK", "United Kingdom", "Great Britain", "Vereinigtes Königreich"], code: "44",
            weight: 9,
            // 80M numbers in ranges libphonenumber's GB mobile plan accepts whole (7509… and 7911… are
            // not; 7700 900xxx is Ofcom's drama range): 5M numbers collided at 10M rows.
            prefixes: ["740", "771", "772", "773", "780", "781", "790", "792"], subscriberDigits: 7, trunk: "0"),
        Market(
            region: "FR", countryCell: ["FR", "France", "Frankreich"], code: "33", weight: 7,
            prefixes: ["61", "62", "64", "65", "66", "67", "68", "73", "74", "75", "76", "77", "78"],
            subscriberDigits: 7, trunk: "0"),
        Market(
            region: "BR", countryCell: ["BR", "Brasil", "Brazil"], code: "55", weight: 5,
            prefixes: ["1196", "1197", "1198", "1199", "2197", "2198", "3198", "3199"], subscriberDigits: 7, trunk: "0"),
        // Area codes 324, 227, 350, 645 opened after 2022 (libphonenumber 8.12.57 rejects them).
        Market(
            region: "US", countryCell: ["US", "USA", "United States", "Estados Unidos"], code: "1", weight: 5,
            prefixes: ["4152", "4153", "2122", "2123", "6462", "6463", "3122", "3123", "3242", "2272", "3503", "6455"],
            subscriberDigits: 6, trunk: "1"),
        // 75 and 77: operator codes opened after 2022.
        Market(
            region: "UA", countryCell: ["UA", "Ukraine", "Україна", "Украина"], code: "380", weight: 4,
            prefixes: ["67", "50", "63", "93", "75", "77"], subscriberDigits: 7, trunk: "0",
            nationalStyles: ["(0AA) ###-##-##", "0 AA ### ## ##"]),
        // 220, 450, 720: ranges opened after 2022. Also written in the withdrawn +52 1, 044, 045, 01 forms.
        Market(
            region: "MX", countryCell: ["MX", "México", "Mexico"], code: "52", weight: 3,
            prefixes: ["551", "552", "331", "332", "811", "812", "220", "450", "720"], subscriberDigits: 7, trunk: "",
            legacy: .mexico),
        // 43x: the mobile range opened after 2022.
        Market(
            region: "IT", countryCell: ["IT", "Italia", "Italy"], code: "39", weight: 3,
            prefixes: ["347", "338", "329", "320", "431", "436"], subscriberDigits: 7, trunk: ""),
        // 500, 550, 562: mobile ranges opened after 2022.
        Market(
            region: "TR", countryCell: ["TR", "Turkey", "Türkiye", "Türkei", "TUR", "Турция"], code: "90", weight: 5,
            prefixes: [
                "530", "531", "532", "533", "535", "541", "542", "543", "544", "545", "552", "553", "555", "500", "550", "562",
            ],
            subscriberDigits: 7, trunk: "0", nationalStyles: ["0 (AAA) ### ## ##", "0AAA ### ## ##"]),
        Market(
            region: "EG", countryCell: ["EG", "Egypt", "مصر", "Ägypten", "EGY"], code: "20", weight: 3,
            prefixes: ["10", "11", "12", "15"], subscriberDigits: 8, trunk: "0"),
        Market(
            region: "SA", countryCell: ["SA", "KSA", "Saudi Arabia", "المملكة العربية السعودية"], code: "966", weight: 3,
            prefixes: ["50", "53", "54", "55", "56"], subscriberDigits: 7, trunk: "0"),
        Market(
            region: "ID", countryCell: ["ID", "Indonesia", "IDN"], code: "62", weight: 2,
            prefixes: ["812", "813", "821", "852"], subscriberDigits: 8, trunk: "0"),
        // Moscow's fixed lines (495, 499) and mobiles, written with trunk 8 and a bracketed area code.
        Market(
            region: "RU", countryCell: ["RU", "Russia", "Россия", "RUS", "Russland"], code: "7", weight: 3,
            prefixes: ["916", "985", "495", "499"], subscriberDigits: 7, trunk: "8",
            nationalStyles: ["8 (AAA) ###-##-##", "8-AAA ### ####", "8 AAA.####.###"]),
        Market(
            region: "KZ", countryCell: ["KZ", "Kazakhstan", "Казахстан", "KAZ"], code: "7", weight: 1,
            prefixes: ["701", "777"], subscriberDigits: 7, trunk: "8", nationalStyles: ["8 (AAA) ###-##-##", "8-AAA ### ####"]),
        // Markets whose ranges below all opened after 2022.
        Market(
            region: "NG", countryCell: ["NG", "Nigeria", "NGA"], code: "234", weight: 2,
            prefixes: ["707", "910", "710", "711", "720", "721"], subscriberDigits: 7, trunk: "0"),
        Market(
            region: "KE", countryCell: ["KE", "Kenya", "KEN"], code: "254", weight: 1,
            prefixes: ["107", "116", "140", "180", "181", "182", "183", "185"], subscriberDigits: 6, trunk: "0"),
        Market(
            region: "PK", countryCell: ["PK", "Pakistan", "PAK"], code: "92", weight: 1,
            prefixes: ["339", "370", "371", "375"], subscriberDigits: 7, trunk: "0"),
        Market(
            region: "AE", countryCell: ["AE", "UAE", "United Arab Emirates", "الإمارات"], code: "971", weight: 1,
            prefixes: ["530", "531", "532", "533", "534", "535", "536", "537"], subscriberDigits: 6, trunk: "0"),
        Market(
            region: "UZ", countryCell: ["UZ", "Uzbekistan", "Oʻzbekiston", "Узбекистан"], code: "998", weight: 1,
            prefixes: ["20", "50", "80", "87"], subscriberDigits: 7, trunk: "", legacy: .uzbekistan),
        // Benin's 10-digit numbers since the 2024 migration (01 + the old 8 digits), also
        // written in the old 8-digit form.
        Market(
            region: "BJ", countryCell: ["BJ", "Benin", "Bénin", "BEN"], code: "229", weight: 1,
            prefixes: ["0197", "0196", "0190", "0161", "0166", "0151", "0140", "0195"], subscriberDigits: 6, trunk: "",
            legacy: .benin),
    ]

    static let firstNames = [
        "Jürgen", "Anna", "Björn", "Chloé", "Oliver", "María", "João", "Олена", "Lukas", "Zoë", "Marie",
        "Felix", "Sophie", "Noah", "Emma", "Luca", "Mia", "Paul", "Lena", "Ana", "José", "Søren", "Mehmet", "Aylin",
    ]
    static let lastNames = [
        "Müller", "Schäfer", "Weiß", "Dubois", "Smith", "García", "Souza", "Шевченко", "Krämer", "Groß",
        "Wagner", "Becker", "Rossi", "Nowak", "Jones", "Hoffmann", "Koch", "Richter", "Silva", "Ødegaard", "Yılmaz",
    ]

    struct Person {
        var index: Int
        var market: Int
        var national: String
        var first: String
        var last: String
        var viberID: String
        var optedOut: Bool
        /// Day (Unix seconds) the person opted out; opt-ins are dated before it.
        var changedAt: Int
    }

    func person(_ index: Int) -> Person {
        var rng = SplitMix(seed: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        let total = Self.markets.reduce(0) { $0 + $1.weight }
        var pick = rng.next(total)
        var market = 0
        while pick >= Self.markets[market].weight {
            pick -= Self.markets[market].weight
            market += 1
        }
        let plan = Self.markets[market]
        // A bijection of the index onto (prefix, subscriber): two people never share a number.
        var modulus: UInt64 = UInt64(plan.prefixes.count)
        for _ in 0..<plan.subscriberDigits { modulus *= 10 }
        let mixed = (UInt64(index) &* 1_000_003 &+ (seed % modulus)) % modulus
        var subscriberSpace: UInt64 = 1
        for _ in 0..<plan.subscriberDigits { subscriberSpace *= 10 }
        let prefix = plan.prefixes[Int(mixed / subscriberSpace)]
        var subscriber = String(mixed % subscriberSpace)
        subscriber = String(repeating: "0", count: plan.subscriberDigits - subscriber.count) + subscriber
        let first = Self.firstNames[rng.next(Self.firstNames.count)]
        let last = Self.lastNames[rng.next(Self.lastNames.count)]
        let viber = String(format: "%016llx", rng.raw()) + "=="
        let optedOut = Double(rng.next(10_000)) < optOutShare * 10_000
        let changedAt = 1_577_836_800 + rng.next(1_400) * 86_400  // a day in 2020–2023
        return Person(
            index: index, market: market, national: prefix + subscriber, first: first, last: last, viberID: viber,
            optedOut: optedOut, changedAt: changedAt)
    }

    /// A phone cell as exports write it; `expected` is what it must yield.
    struct Cell {
        var phone: String
        var country: String
        var expected: String?
    }

    /// An SMS platform's contact export: every way spreadsheets damage a number.
    func smsCell(_ p: Person, _ rng: inout SplitMix) -> Cell {
        let m = Self.markets[p.market]
        let country = m.countryCell[rng.next(m.countryCell.count)]
        let named = country.isEmpty ? m.countryCell[0] : country
        let e164 = "+" + m.code + p.national
        let digits = m.code + p.national
        switch rng.next(1000) {
        case 0..<280: return Cell(phone: e164, country: country, expected: e164)
        case 280..<420:
            if let legacy = Self.legacyInternational(m, p.national, &rng) {
                return Cell(phone: legacy, country: country, expected: e164)
            }
            return Cell(phone: "+" + m.code + " " + spaced(p.national), country: country, expected: e164)
        case 420..<600:
            // National writing needs the region: DE rows may leave it to the job's default (DE).
            if m.region == "DE" { return Cell(phone: m.trunk + spaced(p.national), country: country, expected: e164) }
            if let legacy = Self.legacyNational(m, p.national, &rng) {
                return Cell(phone: legacy, country: named, expected: e164)
            }
            if !m.nationalStyles.isEmpty, rng.next(2) == 0 {
                let style = m.nationalStyles[rng.next(m.nationalStyles.count)]
                return Cell(phone: Self.written(p.national, style: style), country: named, expected: e164)
            }
            return Cell(phone: m.trunk + p.national, country: named, expected: e164)
        case 600..<650: return Cell(phone: "00" + m.code + " " + p.national, country: country, expected: e164)
        case 650..<690: return Cell(phone: "'" + e164, country: country, expected: e164)
        case 690..<720:
            let spacedText = spaced(p.national).replacingOccurrences(of: " ", with: "\u{00A0}")
            return Cell(phone: "+" + m.code + "\u{202F}" + spacedText, country: country, expected: e164)
        case 720..<740: return Cell(phone: "tel:" + e164, country: country, expected: e164)
        // International digits without +, no country cell: the region is the job's guess.
        case 740..<770: return Cell(phone: digits, country: "", expected: e164)
        // International digits without + in a row that names the country (own country code).
        case 770..<800: return Cell(phone: digits, country: named, expected: e164)
        case 800..<820:
            // Excel's scientific notation of the international digits, written by a writer that
            // keeps every significant digit (this column's precision) and drops trailing zeros.
            return Cell(
                phone: Self.scientific(digits, keep: digits.count), country: rng.next(2) == 0 ? "" : named, expected: e164)
        case 820..<835: return Cell(phone: e164 + " ext. " + String(10 + rng.next(90)), country: country, expected: e164)
        case 835..<850:
            let other = m.prefixes[rng.next(m.prefixes.count)] + Self.digits(m.subscriberDigits, &rng)
            return Cell(phone: e164 + " / +" + m.code + other, country: country, expected: e164)
        case 850..<865: return Cell(phone: "+" + m.code + " (0)" + p.national, country: country, expected: e164)
        case 865..<880: return Cell(phone: "", country: country, expected: nil)
        case 880..<890: return Cell(phone: ["n/a", "-", "unknown", "kein"][rng.next(4)], country: country, expected: nil)
        case 890..<900: return Cell(phone: String(p.national.prefix(4)), country: country, expected: nil)
        default: return Cell(phone: e164, country: country, expected: e164)
        }
    }

    /// A Viber subscriber export: international digits without + (as Viber's API gives
    /// them), blank when the user did not share the number, sometimes opened in Excel.
    func viberCell(_ p: Person, _ rng: inout SplitMix) -> Cell {
        let m = Self.markets[p.market]
        let country = rng.next(10) == 0 ? "" : m.region
        let e164 = "+" + m.code + p.national
        let digits = m.code + p.national
        switch rng.next(100) {
        case 0..<15: return Cell(phone: "", country: country, expected: nil)
        case 15..<78: return Cell(phone: digits, country: country, expected: e164)
        case 78..<90: return Cell(phone: e164, country: country, expected: e164)
        case 90..<97:
            // This export went through a spreadsheet that kept 10 significant digits: every
            // scientific cell of the column lost digits, so none can be read.
            return Cell(phone: Self.scientific(digits, keep: 10), country: country, expected: nil)
        default:
            // A national number, as a bot that asked the user for it may store it. With the
            // trunk prefix it is recognisable; without one (IT, MX, NANP) the row's country
            // must carry it against an international-looking reading of the same digits.
            if m.trunk.isEmpty || m.trunk == "1" { return Cell(phone: p.national, country: m.region, expected: e164) }
            return Cell(phone: m.trunk + p.national, country: m.region, expected: e164)
        }
    }

    /// `digits` in scientific notation as a writer keeping `keep` significant digits and
    /// dropping trailing zeros writes it (`911155675150`, 13 → `9.1115567515E+11`).
    static func scientific(_ digits: String, keep: Int) -> String {
        var mantissa = String(digits.dropFirst().prefix(keep - 1))
        while mantissa.hasSuffix("0") { mantissa.removeLast() }
        return String(digits.prefix(1)) + (mantissa.isEmpty ? "" : "." + mantissa) + "E+" + String(digits.count - 1)
    }

    /// The national number filled into a hand-writing style (`8 (AAA) ###-##-##`).
    static func written(_ national: String, style: String) -> String {
        var digits = national.makeIterator()
        var out = ""
        for character in style {
            if character == "A" || character == "#" {
                out.append(digits.next() ?? "0")
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// Mexico's withdrawn `+52 1` mobile form; Benin's 8-digit numbers before the 2024
    /// migration (today's number is `01` and the 8 digits). nil: written the current way.
    static func legacyInternational(_ m: Market, _ national: String, _ rng: inout SplitMix) -> String? {
        switch m.legacy {
        case .mexico where rng.next(3) == 0: return "+52 1 " + national
        case .benin where rng.next(2) == 0: return "+229 " + national.dropFirst(2)
        default: return nil
        }
    }

    /// Mexico's withdrawn national prefixes `044`/`045` (mobile) and `01`; Benin's 8 digits;
    /// Uzbekistan's old trunk prefix `8`.
    static func legacyNational(_ m: Market, _ national: String, _ rng: inout SplitMix) -> String? {
        switch m.legacy {
        case .mexico where rng.next(2) == 0: return ["044 ", "045 ", "01 "][rng.next(3)] + national
        case .benin where rng.next(2) == 0: return String(national.dropFirst(2))
        case .uzbekistan where rng.next(2) == 0: return "8 " + national
        default: return nil
        }
    }

    static func digits(_ count: Int, _ rng: inout SplitMix) -> String {
        var text = ""
        for _ in 0..<count { text.append(Character(UnicodeScalar(UInt8(48 + rng.next(10))))) }
        return text
    }

    private func spaced(_ national: String) -> String {
        let cut = national.index(national.startIndex, offsetBy: min(3, national.count))
        return national[..<cut] + " " + national[cut...]
    }

    /// dd.MM.yyyy, as German SMS platforms export dates.
    private static func day(_ seconds: Int) -> String {
        let parts = ISOTime.string(Int64(seconds)).prefix(10).split(separator: "-")
        return "\(parts[2]).\(parts[1]).\(parts[0])"
    }

    public func write(to directory: String) throws -> Files {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let smsPath = directory + "/sms_export.csv"
        let viberPath = directory + "/viber_export.csv"
        let truthPath = directory + "/truth.csv"
        let population = max(1, Int(Double(rows) * 0.65))
        // Each market's numbers are a bijection of the person's index only below its
        // number space; past it two people would share a number and the truth would lie.
        let smallest = Self.markets.map { $0.space }.min() ?? 0
        guard population <= smallest else {
            throw WamigrateError(
                .usage,
                "the generator gives distinct numbers to at most \(smallest) people (\(Int(Double(smallest) / 0.65)) rows)",
                hint: "generate fewer rows, or widen the smallest market's prefixes in ExportGenerator")
        }
        let smsRows = Int(Double(rows) * smsShare)
        let viberRows = rows - smsRows
        var rng = SplitMix(seed: seed)
        let truth = try BufferedFile(path: truthPath)
        truth.write("source,record,person,e164,consent\n")

        let sms = try BufferedFile(path: smsPath)
        sms.write("\u{FEFF}Mobile;First Name;Last Name;Email;Country;Opt-In;Opt-In Date;Tags\r\n")
        for record in 1...max(1, smsRows) where smsRows > 0 {
            let p = person(rng.next(population))
            let cell = smsCell(p, &rng)
            var consent: String
            var date: String
            var stated = "unknown"
            if p.optedOut && rng.next(2) == 0 {
                consent = ["no", "nein", "STOP", "unsubscribed"][rng.next(4)]
                date = rng.next(4) == 0 ? "" : Self.day(p.changedAt + rng.next(300) * 86_400)
                stated = "opted_out"
            } else {
                consent = ["yes", "yes", "yes", "", "ja"][rng.next(5)]
                let when = p.optedOut ? p.changedAt - (1 + rng.next(900)) * 86_400 : p.changedAt + rng.next(600) * 86_400
                date = rng.next(3) == 0 ? "" : Self.day(when)
                if !consent.isEmpty { stated = "opted_in" }
            }
            let email = rng.next(3) == 0 ? "" : "\(p.first.lowercased()).\(p.last.lowercased())@example.com"
            let tags = ["", "VIP", "Kunde;Newsletter", "B2B"][rng.next(4)]
            let quotedTags = tags.contains(";") ? "\"\(tags)\"" : tags
            sms.write(
                "\(cell.phone);\(p.first);\(p.last);\(email);\(cell.country);\(consent);\(date);\(quotedTags)\r\n")
            truth.write("sms_export,\(record),\(p.index),\(cell.expected ?? ""),\(stated)\n")
        }
        try sms.close()

        let viber = try BufferedFile(path: viberPath)
        viber.write("viber_user_id,phone,name,subscribed_at,language,country,status,last_seen\n")
        for record in 1...max(1, viberRows) where viberRows > 0 {
            let p = person(rng.next(population))
            let cell = viberCell(p, &rng)
            let unsubscribed = p.optedOut && rng.next(3) != 0
            let status = unsubscribed ? "unsubscribed" : "subscribed"
            let at = unsubscribed ? p.changedAt + rng.next(300) * 86_400 : p.changedAt - (1 + rng.next(900)) * 86_400
            let language = ["de", "en", "tr", "uk", "ar"][rng.next(5)]
            viber.write(
                "\(p.viberID),\(cell.phone),\"\(p.first) \(p.last)\",\(UInt64(at) * 1000),\(language),\(cell.country),\(status),\n"
            )
            truth.write("viber_export,\(record),\(p.index),\(cell.expected ?? ""),\(unsubscribed ? "opted_out" : "opted_in")\n")
        }
        try viber.close()
        try truth.close()
        return Files(sms: smsPath, viber: viberPath, truth: truthPath, smsRows: smsRows, viberRows: viberRows)
    }
}

/// SplitMix64: small, fast, deterministic.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func raw() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(_ bound: Int) -> Int { Int(raw() % UInt64(bound)) }
}

/// Appends text to a file through a 1 MiB buffer.
final class BufferedFile {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(path: String) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw WamigrateError(.output, "cannot write benchmark data", hint: "check the folder", at: .init(file: path))
        }
        self.handle = handle
    }

    /// The first write error (a full disk), thrown by `close`: never a trap.
    private var failure: Error?

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count > 1 << 20 { flush() }
    }

    private func flush() {
        if failure == nil {
            do { try handle.write(contentsOf: buffer) } catch { failure = error }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        flush()
        try? handle.close()
        if let failure {
            throw WamigrateError(
                .output, "cannot write benchmark data: \(failure.localizedDescription)", hint: "free disk space or use --dir")
        }
    }
}
