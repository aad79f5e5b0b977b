import Foundation
import Testing
import WamigrateTestSupport

/// The conventions a user relies on across commands: --version, usage errors exit 64 with
/// the usage line, stage commands take only their own options, the job remembers its
/// region, errors as JSON under --json, -q.
@Suite("End to end: CLI conventions")
struct CLIConventionsEndToEndTests {
    @Test func versionNamesTheToolTheCommitAndLibphonenumber() throws {
        // On the tool and on any command, as the argument parser gives it.
        for arguments in [["--version"], ["trace", "--version"], ["wave", "send", "--version"]] {
            let result = try Binary.run(arguments)
            #expect(result.status == 0, "\(arguments)")
            #expect(result.stdout.hasPrefix("wamigrate 0."), "\(arguments): \(result.stdout)")
            #expect(result.stdout.contains("(git "), "\(arguments): \(result.stdout)")
            #expect(result.stdout.contains("libphonenumber libphonenumber.so"), "\(arguments): \(result.stdout)")
            #expect(result.stdout.contains("numbering plans 9."), "\(arguments): \(result.stdout)")
        }
    }

    @Test func badFlagValuesAndStrayFilesAreUsageErrors() throws {
        let folder = TempFolder()
        let input = VerifyFixtures.optedIn(folder, ["+49 1512 3456789"])
        let store = try VerifyFixtures.prepare(folder, input: input)
        let cases: [([String], String)] = [
            (["verify", "--store", store, "--batch-size", "5000"], "--batch-size 5000 is out of range"),
            (["run", "--store", store, "--default-region", "XX", input], "--default-region 'XX' is not a region"),
            (["normalize", "--store", store, "/etc/passwd"], "Unexpected argument"),
            (["normalize", "--store", store, "--mapping", "generic"], "Unknown option '--mapping'"),
        ]
        for (arguments, message) in cases {
            let result = try Binary.run(arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("Usage: wamigrate"), "the usage line: \(result.stderr)")
        }
    }

    @Test func aStageRunAloneUsesTheJobsRegionAndAChangeIsAnnounced() throws {
        let folder = TempFolder()
        let input = folder.write("in.csv", "phone,consent\n0151 23456789,yes\n0151 11111111,yes\n+43 664 1234567,yes\n")
        let store = folder.file("job.sqlite")
        let first = try Binary.run(["run", "--store", store, "--default-region", "DE", input, "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        func rejected() throws -> Int? { try ToolReadout.status(store)["books"]["rejected"].int }
        /// Each row's number as normalize read it (dedupe is cleared by a normalize run alone).
        func numbers() throws -> [String] {
            try (1...3).map { try ToolReadout.trace(store, "in.csv:\($0)")["source_rows"][0]["e164"].string ?? "-" }
        }
        #expect(try rejected() == 0)

        let again = try Binary.run(["normalize", "--store", store])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try rejected() == 0, "no missing_region rejections: the job's DE was reused")
        #expect(try numbers().filter { $0.hasPrefix("+49") }.count == 2)

        let changed = try Binary.run(["normalize", "--store", store, "--default-region", "AT"])
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.stderr.contains("the job's default region changes from DE to AT"), "\(changed.stderr)")
        #expect(try numbers().filter { $0.hasPrefix("+43") }.count == 3)
    }

    @Test func underJsonAnErrorIsJSONOnStdoutAndQuietPrintsNothing() throws {
        let folder = TempFolder()
        let store = folder.file("job.sqlite")
        let missing = try Binary.run(["webhook", "ingest", "--store", store, folder.file("nope.jsonl"), "--json"])
        #expect(missing.status == 65)
        let object = try JSONSerialization.jsonObject(with: Data(missing.stdout.utf8)) as? [String: Any]
        let error = try #require(object?["error"] as? [String: Any], "\(missing.stdout)")
        #expect(error["code"] as? String == "E_INPUT_MISSING")
        #expect(error["exit"] as? Int == 65)
        #expect((error["file"] as? String)?.hasSuffix("nope.jsonl") == true)
        #expect(error["hint"] is String)

        let input = VerifyFixtures.optedIn(folder, ["+49 1512 3456789"])
        let quiet = try Binary.run(["run", "--store", store, "--default-region", "DE", input, "-q"])
        #expect(quiet.status == 0, "\(quiet.stderr)")
        #expect(quiet.stdout.isEmpty && quiet.stderr.isEmpty, "\(quiet.stdout)\(quiet.stderr)")
    }
}

@Suite("End to end: CLI conventions, inputs and outputs")
struct CLIInputsEndToEndTests {
    @Test func aMistypedProfileGetsASuggestionAndTheTableIsNoProfile() throws {
        let folder = TempFolder()
        let input = VerifyFixtures.optedIn(folder, ["+49 1512 3456789"])
        let result = try Binary.run(["run", "--store", folder.file("job.sqlite"), "--mapping", "twillio", input])
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains("did you mean 'twilio'?"), "\(result.stderr)")
        #expect(!result.stderr.contains("countries"), "countries.yml is the country table, not a profile")
    }

    @Test func shellCompletionsOfferRegionsProfilesAndExportFiles() throws {
        // What bash's completion function runs for `wamigrate run --default-region D<TAB>`.
        let regions = try Binary.run([
            "---completion", "run", "--", "--default-region", "3", "1", "wamigrate", "run", "--default-region", "D",
        ])
        let offered = regions.stdout.split(separator: "\n").map(String.init)
        #expect(offered.contains("DE") && offered.contains("DK") && !offered.contains("US"), "\(offered)")
        let profiles = try Binary.run([
            "---completion", "run", "--", "--mapping", "3", "2", "wamigrate", "run", "--mapping", "tw",
        ])
        #expect(profiles.stdout.split(separator: "\n") == ["twilio"], "\(profiles.stdout)")
        let script = try Binary.run(["--generate-completion-script", "bash"])
        #expect(script.stdout.contains("'!*.@(csv|txt|tsv)'"), "export files are completed by extension")
    }

    @Test func standardInputIsAnExportAndShortOWritesTheLists() throws {
        let folder = TempFolder()
        let store = folder.file("job.sqlite")
        let csv = "phone,consent\n+49 1512 3456789,yes\n0151 11111111,yes\n"
        let result = try Binary.run(
            ["run", "--store", store, "--default-region", "DE", "-", "-o", folder.file("out")], input: Data(csv.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try ToolJSON(contentsOf: folder.file("out/summary.json"))
        #expect(try ToolReadout.status(store)["contacts"].int == 2)
        #expect(summary["extract"]["sources"].array.map { $0["name"].string } == ["stdin"])
        let copy = try #require(summary["extract"]["sources"][0]["path"].string)
        #expect(!FileManager.default.fileExists(atPath: copy), "the copy of standard input is removed after the run")
        #expect(FileManager.default.fileExists(atPath: folder.file("out/reconsent.csv")))

        let status = try Binary.run(["status", "--store", store, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        let lists = try #require(object?["lists"] as? [String: Int], "\(status.stdout)")
        #expect(
            Set(lists.keys) == ["whatsapp_ready", "reconsent", "unreachable", "rejected", "review"], "zeros included: \(lists)")
    }
}
