import WamigrateBase

extension WamigrateError {
    /// A campaign command named a campaign this store has no plan for.
    public static func noCampaign(_ name: String) -> WamigrateError {
        WamigrateError(
            .stageOrder, "there is no planned campaign named '\(name)' in this store",
            hint: "run `wamigrate campaign plan --name \(name)` first")
    }
}
