import Foundation
import Testing
import WamigrateBench
import WamigrateStore
import WamigrateTestSupport

/// The generator's exports, whose every right number is known by construction (numbering
/// plans of today, damaged the ways exports damage them), through the built binary in
/// explicit and auto mode: no wrong number, no real number lost, every review row holding
/// the true number among its candidates, nobody opted out left opted in.
@Suite("End to end: the generator's truth")
struct GeneratedTruthEndToEndTests {
    @Test(arguments: [false, true])
    func everyRowIsRightOrExplained(_ auto: Bool) throws {
        let folder = TempFolder()
        let files = try ExportGenerator(rows: 40_000, seed: 13).write(to: folder.file("in"))
        let store = folder.file("job.sqlite")
        let sources = auto ? [files.sms, files.viber] : ["--mapping", "generic", files.sms, "--mapping", "viber", files.viber]
        let result = try Binary.run(["run", "--store", store, "--default-region", "DE"] + sources)
        #expect(result.status == 0, "\(result.stderr)")
        let truth = try TruthCheck(storePath: store, truthPath: files.truth).run()
        #expect(truth.unmatched == 0)
        #expect(truth.wrongE164 == 0, "\(truth.wrongSamples)")
        #expect(truth.missed == 0)
        #expect(truth.right + truth.review == truth.rows)
        #expect(truth.review == truth.reviewWithTruth)
        #expect(truth.contactsMergingPeople == 0)
        #expect(truth.optedOutListedOptedIn == 0)

        // The classes current plans brought are all there, so the figures above cover them.
        // The report's numbering section counts the rows of each, by flag.
        let report = try Binary.run(["report", "--store", store, "--out", folder.file("report")])
        #expect(report.status == 0, "\(report.stderr)")
        let sections = try ToolJSON(contentsOf: folder.file("report/report.json"))["sections"].array
        let numbering = try #require(sections.first { $0["id"].string == "numbering" })["figures"].array
        var rowsByFlag: [String: Int] = [:]
        for figure in numbering where ["numbering.legacy_forms", "numbering.evidence"].contains(figure["id"].string ?? "") {
            for row in figure["rows"].array { rowsByFlag[row["key"].string ?? "", default: 0] += row["value"].int ?? 0 }
        }
        for flag in ["legacy_mx_mobile_1", "legacy_mx_prefix", "legacy_bj_8_digits", "national_writing", "scientific_zeros"] {
            #expect(rowsByFlag[flag, default: 0] > 0, "\(flag): \(rowsByFlag)")
        }
        // Rows whose scientific notation lost digits: rejected, left for review, or kept for their Viber id only.
        let inReview = numbering.first { $0["id"].string == "numbering.review" }?["rows"].array ?? []
        let reason = "lossy_scientific_notation"
        let lossy =
            (try ToolReadout.status(store)["rejected_by_reason"][reason].int ?? 0)
            + inReview.filter { $0["key"].string == reason }.compactMap { $0["value"].int }.reduce(0, +)
            + (try JobReader(store).viberOnly().filter { $0.phoneReason == reason }.count)
        #expect(lossy > 0)
    }
}
