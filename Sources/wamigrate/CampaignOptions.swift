import ArgumentParser
import Foundation
import WamigrateBase
import WamigrateCore
import WamigrateStore

/// Campaign files from the mappings folder unless given: keywords, prices, time zones.
struct CampaignFiles: ParsableArguments {
    @Option(help: "Reply keywords (default: mappings/campaign/keywords.yml).")
    var keywords: String?

    @Option(help: "Folder of mappings (default: $WAMIGRATE_MAPPINGS, ./mappings, or the checkout's).")
    var mappingsDir: String?

    func path(_ given: String?, _ name: String) throws -> String {
        try given ?? mappingsFile("campaign/\(name)", directory: mappingsDir)
    }

    func keywordBook() throws -> KeywordBook { try KeywordBook.load(path: try path(keywords, "keywords.yml")) }
}

/// Reads `--start` and `--now` times: ISO 8601 (UTC unless an offset is given).
func parseTime(_ text: String?, option: String) throws -> Int64 {
    guard let text else { return Int64(Date().timeIntervalSince1970) }
    guard let time = DateParser().parse(text) else {
        throw WamigrateError(
            .usage, "\(option) '\(text)' is not a date and time", hint: "use ISO 8601, e.g. 2026-12-01T09:00:00Z")
    }
    return time
}

/// The consent policy for commands that read a job config only for it.
struct PolicyOptions: ParsableArguments {
    @Option(help: "A job config file (YAML); its `consent:` section says which consent sources count for WhatsApp.")
    var config: String?

    @OptionGroup var consent: ConsentOptions

    func policy() throws -> ConsentPolicy {
        var job = try config.map(JobConfig.load(path:)) ?? JobConfig()
        consent.apply(to: &job)
        try job.consent.validate()
        return job.consent
    }
}
