import Foundation
import Testing
import WamigrateBase
import WamigrateTestSupport

@Suite("End to end: the messaging limit's forecast")
struct WaveForecastEndToEndTests {
    @Test func thePlanShowsTheLimitGrowingAndTheCalendarItGives() throws {
        let job = try WaveJob(count: 2_400)
        let sandbox = try job.sandbox(webhooks: nil)
        try job.submitTemplate(sandbox)
        let plan = try job.plan(["--param", "1=name", "--tier", "250", "--dry-run"])
        #expect(plan.status == 0, "\(plan.stderr)")
        // At a fixed 250 a day the 2,400 take 10 days; the scaling path lifts the limit to 2,000 once
        // 2,000 were delivered (after day 8), and day 9 takes the last 400.
        #expect(plan.stdout.contains("days at 250 unique recipients per 24 h: 10"), "\(plan.stdout)")
        #expect(
            plan.stdout.contains(
                "as the platform raises the limit (quality holding, every message delivered): 9 days: "
                    + "days 1–8 at 250 (2000 sent), day 9 at 2000 (400 sent)"), "\(plan.stdout)")
        let json = try Binary.run(
            [
                "wave", "plan", "--store", job.store, "--name", "welcome", "--template", "wa_welcome", "--language", "de",
                "--list", "reconsent", "--param", "1=name", "--tier", "250", "--dry-run", "--json",
            ])
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let forecast = try #require(summary["forecast"] as? [String: Any], "\(json.stdout)")
        #expect(forecast["days"] as? Int == 9)
    }
}
