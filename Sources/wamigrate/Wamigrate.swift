import ArgumentParser
import WamigrateCore

@main
struct Wamigrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wamigrate",
        abstract: "Move a contact base from SMS and Viber exports to WhatsApp-ready lists.",
        discussion: ExitCodes.help,
        subcommands: [Run.self, Extract.self, Normalize.self, Dedupe.self, Export.self, Status.self, Bench.self]
    )
}

enum ExitCodes {
    static let help = """
        Exit codes: 0 success; 64 usage error; 65 input error (missing, empty, binary or \
        undecodable file, no phone column, bad mapping or config); 66 stage run out of order; \
        74 store or output error; 3 the books do not balance (a stage lost rows).
        """
}
