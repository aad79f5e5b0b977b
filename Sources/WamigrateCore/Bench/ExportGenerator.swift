import Foundation

/// Deterministic generator of a messy SMS-provider export and a Viber subscriber
/// export for benchmarks and resume tests: the same seed gives the same bytes.
/// People recur across and within files, numbers are written the many ways real
/// exports write them, and a few cells are broken on purpose.
public struct ExportGenerator {
    public var rows: Int
    public var seed: UInt64
    /// Share of rows in the SMS export; the rest go to the Viber export.
    public var smsShare = 0.6

    public init(rows: Int, seed: UInt64 = 42) {
        self.rows = rows
        self.seed = seed
    }

    public struct Files: Sendable {
        public var sms: String
        public var viber: String
        public var smsRows: Int
        public var viberRows: Int
    }

    struct Market {
        var region: String
        var countryCell: [String]
        var code: String
        var weight: Int
        /// National significant number without trunk prefix, from a random source.
        var mobile: (inout SplitMix) -> String
        var trunk: String
    }

    static func digits(_ count: Int, _ rng: inout SplitMix) -> String {
        var text = ""
        for _ in 0..<count { text.append(Character(UnicodeScalar(UInt8(48 + rng.next(10))))) }
        return text
    }

    static let markets: [Market] = [
        Market(
            region: "DE", countryCell: ["DE", "Deutschland", "Germany", "de", ""], code: "49", weight: 50,
            mobile: { ["151", "152", "157", "160", "170", "171", "172", "176", "177", "179"][$0.next(10)] + digits(8, &$0) },
            trunk: "0"),
        Market(
            region: "AT", countryCell: ["AT", "Österreich", "Austria"], code: "43", weight: 8,
            mobile: { ["664", "660", "676", "699"][$0.next(4)] + digits(7, &$0) }, trunk: "0"),
        Market(
            region: "GB", countryCell: ["GB", "UK", "United Kingdom"], code: "44", weight: 10,
            mobile: { "7" + ["400", "500", "700", "800", "900"][$0.next(5)] + digits(6, &$0) }, trunk: "0"),
        Market(
            region: "FR", countryCell: ["FR", "France"], code: "33", weight: 8,
            mobile: { ["6", "7"][$0.next(2)] + String(1 + $0.next(8)) + digits(7, &$0) }, trunk: "0"),
        Market(
            region: "BR", countryCell: ["BR", "Brasil", "Brazil"], code: "55", weight: 6,
            mobile: { ["11", "21", "31"][$0.next(3)] + "9" + String(6 + $0.next(4)) + digits(7, &$0) }, trunk: "0"),
        Market(
            region: "US", countryCell: ["US", "USA", "United States"], code: "1", weight: 6,
            mobile: { ["415", "212", "646", "312"][$0.next(4)] + String(2 + $0.next(8)) + digits(6, &$0) }, trunk: "1"),
        Market(
            region: "UA", countryCell: ["UA", "Ukraine", "Україна"], code: "380", weight: 4,
            mobile: { ["67", "50", "63", "93"][$0.next(4)] + digits(7, &$0) }, trunk: "0"),
        Market(
            region: "MX", countryCell: ["MX", "México", "Mexico"], code: "52", weight: 4,
            mobile: { ["55", "33", "81"][$0.next(3)] + String(1 + $0.next(9)) + digits(7, &$0) }, trunk: ""),
        Market(
            region: "IT", countryCell: ["IT", "Italia", "Italy"], code: "39", weight: 4,
            mobile: { "3" + ["47", "38", "29", "20"][$0.next(4)] + digits(7, &$0) }, trunk: ""),
    ]

    static let firstNames = [
        "Jürgen", "Anna", "Björn", "Chloé", "Oliver", "María", "João", "Олена", "Lukas", "Zoë", "Marie",
        "Felix", "Sophie", "Noah", "Emma", "Luca", "Mia", "Paul", "Lena", "Ana", "José", "Søren",
    ]
    static let lastNames = [
        "Müller", "Schäfer", "Weiß", "Dubois", "Smith", "García", "Souza", "Шевченко", "Krämer", "Groß",
        "Wagner", "Becker", "Rossi", "Nowak", "Jones", "Hoffmann", "Koch", "Richter", "Silva", "Ødegaard",
    ]

    struct Person {
        var market: Int
        var national: String
        var first: String
        var last: String
        var viberID: String
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
        let national = Self.markets[market].mobile(&rng)
        let first = Self.firstNames[rng.next(Self.firstNames.count)]
        let last = Self.lastNames[rng.next(Self.lastNames.count)]
        let viber = String(format: "%016llx", rng.raw()) + "=="
        return Person(market: market, national: national, first: first, last: last, viberID: viber)
    }

    /// One phone cell the way exports write it, including the broken ways.
    func phoneCell(_ p: Person, _ rng: inout SplitMix) -> (cell: String, countryCell: String) {
        let m = Self.markets[p.market]
        let country = m.countryCell[rng.next(m.countryCell.count)]
        let e164 = "+" + m.code + p.national
        let roll = rng.next(1000)
        switch roll {
        case 0..<300: return (e164, country)
        case 300..<450: return ("+" + m.code + " " + spaced(p.national), country)
        case 450..<650:
            if m.region == "DE" { return (m.trunk + spaced(p.national), country.isEmpty ? "DE" : country) }
            return (m.trunk + p.national, country.isEmpty ? m.countryCell[0] : country)
        case 650..<700: return ("00" + m.code + " " + p.national, country)
        case 700..<740: return ("'" + e164, country)
        case 740..<770:
            return ("+" + m.code + "\u{202F}" + spaced(p.national).replacingOccurrences(of: " ", with: "\u{00A0}"), country)
        case 770..<790: return ("tel:" + e164, country)
        case 790..<810: return (m.code + p.national, "")
        case 810..<825:
            let digits = m.code + p.national
            return (String(digits.prefix(1)) + "." + digits.dropFirst() + "E+" + String(digits.count - 1), country)
        case 825..<830:
            let digits = m.code + p.national
            return (String(digits.prefix(1)) + "." + digits.dropFirst().dropLast(2) + "E+" + String(digits.count - 1), country)
        case 830..<845: return (e164 + " ext. " + String(10 + rng.next(90)), country)
        case 845..<860: return (e164 + " / +" + m.code + Self.markets[p.market].mobile(&rng), country)
        case 860..<875: return ("+" + m.code + " (0)" + p.national, country)
        case 875..<890: return ("", country)
        case 890..<900: return (["n/a", "-", "unknown", "kein"][rng.next(4)], country)
        case 900..<910: return (String(p.national.prefix(4)), country)
        default: return (e164, country)
        }
    }

    private func spaced(_ national: String) -> String {
        let cut = national.index(national.startIndex, offsetBy: min(3, national.count))
        return national[..<cut] + " " + national[cut...]
    }

    public func write(to directory: String) throws -> Files {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let smsPath = directory + "/sms_export.csv"
        let viberPath = directory + "/viber_export.csv"
        let population = max(1, Int(Double(rows) * 0.65))
        let smsRows = Int(Double(rows) * smsShare)
        let viberRows = rows - smsRows
        var rng = SplitMix(seed: seed)

        let sms = try BufferedFile(path: smsPath)
        sms.write("\u{FEFF}Mobile;First Name;Last Name;Email;Country;Opt-In;Opt-In Date;Tags\r\n")
        for _ in 0..<smsRows {
            let p = person(rng.next(population))
            let (cell, country) = phoneCell(p, &rng)
            let consent = ["yes", "yes", "yes", "no", "", "ja", "nein"][rng.next(7)]
            let date =
                rng.next(3) == 0 ? "" : String(format: "%02d.%02d.20%02d", 1 + rng.next(28), 1 + rng.next(12), 18 + rng.next(8))
            let email = rng.next(3) == 0 ? "" : "\(p.first.lowercased()).\(p.last.lowercased())@example.com"
            let tags = ["", "VIP", "Kunde;Newsletter", "B2B"][rng.next(4)]
            let quotedTags = tags.contains(";") ? "\"\(tags)\"" : tags
            sms.write("\(cell);\(p.first);\(p.last);\(email);\(country);\(consent);\(date);\(quotedTags)\r\n")
        }
        try sms.close()

        let viber = try BufferedFile(path: viberPath)
        viber.write("viber_user_id,name,phone,country,language,subscribed,subscribed_at,last_seen\n")
        for _ in 0..<viberRows {
            let p = person(rng.next(population))
            var (cell, country) = phoneCell(p, &rng)
            if rng.next(100) < 15 { cell = "" }
            if cell.contains(",") || cell.contains("\"") {
                cell = "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            if country.contains(",") { country = "\"\(country)\"" }
            let subscribed = rng.next(10) == 0 ? "unsubscribed" : "subscribed"
            let at = 1_600_000_000_000 + UInt64(rng.next(150_000_000)) * 1000
            viber.write("\(p.viberID),\"\(p.first) \(p.last)\",\(cell),\(country),de,\(subscribed),\(at),\n")
        }
        try viber.close()
        return Files(sms: smsPath, viber: viberPath, smsRows: smsRows, viberRows: viberRows)
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

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count > 1 << 20 {
            handle.write(Data(buffer))
            buffer.removeAll(keepingCapacity: true)
        }
    }

    func close() throws {
        handle.write(Data(buffer))
        try handle.close()
    }
}
