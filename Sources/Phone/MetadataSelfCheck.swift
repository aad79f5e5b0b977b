/// Proves at start-up that the numbering plans shipped with the tool are the ones the
/// library runs on. The override relies on the library reading its metadata through
/// hooks it does not document (`numbering-plans.md`), so a different build of
/// libphonenumber could silently ignore it and bring back the 2022 plans, which reject
/// whole mobile ranges. The check parses numbers only current plans know (they must come
/// out valid, with their E.164) and forms current plans withdrew (they must not).
public struct MetadataSelfCheck: Sendable {
    /// One probe: the text, parsed with `+`, and whether current plans call it valid.
    public struct Probe: Sendable {
        public var text: String
        public var validToday: Bool
        public var why: String
    }

    public static let probes = [
        Probe(text: "+90 500 123 45 67", validToday: true, why: "Turkish mobile range 500 (opened after 2022)"),
        Probe(text: "+234 710 123 4567", validToday: true, why: "Nigerian mobile range 71 (opened after 2022)"),
        Probe(text: "+1 324 312 4513", validToday: true, why: "US area code 324 (opened after 2022)"),
        Probe(text: "+52 1 55 1234 5678", validToday: false, why: "Mexico's +52 1 mobile form (withdrawn)"),
    ]

    /// Probes whose answer is not today's, by their `why`.
    public var failures: [String]
    public var inForce: Bool { failures.isEmpty }

    /// Runs the probes with `parser` (a fresh one by default).
    public static func run(parser: PhoneParser = PhoneParser()) -> MetadataSelfCheck {
        let failures = probes.filter { parser.parseReference($0.text, region: "ZZ").usable != $0.validToday }.map {
            "\($0.why) is \($0.validToday ? "rejected" : "accepted")"
        }
        return MetadataSelfCheck(failures: failures)
    }

    /// This process's result, computed once.
    public static let result = run()
}
