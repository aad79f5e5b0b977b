import ArgumentParser
import Foundation
import TemplatesAPI
import WamigrateBase
import WamigrateCore
import WamigrateStore

struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates", abstract: "Submit template creation payloads to WhatsApp.", subcommands: [Submit.self])

    struct Submit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "submit",
            abstract: "Create templates on a Cloud-API-compatible endpoint; skip existing ones; 100 per hour.",
            discussion: """
                Example: WA_TOKEN=… wamigrate templates submit out/scenarios/templates/ --store job.sqlite \\
                --endpoint https://graph.facebook.com/v23.0 --waba-id 123 --token-env WA_TOKEN

                \(ExitCodes.help([0, 64, 65, 69, 74])) 75: some templates wait for the hourly creation limit \\
                (or the store is busy); run again later.
                """)

        @Argument(help: "Template JSON files or folders (templates/ from scenarios convert).")
        var files: [String]

        @OptionGroup var store: StoreOptions

        @Option(help: "Base URL, e.g. https://graph.facebook.com/v21.0 or the sandbox's URL.")
        var endpoint: String

        @Option(help: "The WhatsApp Business Account id.")
        var wabaId: String

        @Option(help: "Variable holding the access token (never passed on the command line).")
        var tokenEnv: String

        @Option(help: "Creations per rolling hour (Meta: 100).")
        var hourlyLimit = 100

        func validate() throws {
            try asUsageError { try EndpointPolicy.check(endpoint, option: "--endpoint") }
            guard !wabaId.isEmpty, wabaId.allSatisfy(\.isNumber) else { throw ValidationError("--waba-id is a number") }
            guard (1...1000).contains(hourlyLimit) else { throw ValidationError("--hourly-limit must be 1 to 1000") }
        }

        func run() throws {
            var deferred = false
            try runReportingErrors {
                let token = try SecretVariable.value(tokenEnv, hint: "export \(tokenEnv)=<access token>")
                var options = TemplateSubmitter.Options(endpoint: endpoint, wabaID: wabaId, token: token)
                options.hourlyLimit = hourlyLimit
                let jobStore = try StoreEngines.openJob(path: store.store, command: "templates submit")
                let summary = try TemplateSubmitter(options: options, store: jobStore, logger: store.logger()).submit(
                    files: files)
                deferred = summary.count("deferred") > 0
                if store.json { return try printJSON(summary) }
                for item in summary.items {
                    var line = "\(item.outcome.padding(toLength: 9, withPad: " ", startingAt: 0)) \(item.name)/\(item.language)"
                    if let id = item.templateID { line += " id \(id)" }
                    if let status = item.status { line += " \(status)" }
                    if let category = item.category { line += " \(category)" }
                    if let reason = item.reason { line += " (\(reason))" }
                    print(Terminal.visible(line))
                }
                let counts = ["created", "exists", "refused", "deferred"].map { "\($0) \(summary.count($0))" }
                print(counts.joined(separator: ", "))
                if let retryAt = summary.retryAt {
                    print(
                        "deferred templates can go after \(Date(timeIntervalSince1970: Double(retryAt))) (hourly limit); run the same command then"
                    )
                }
            }
            if deferred { throw ExitCode(75) }
        }
    }
}
