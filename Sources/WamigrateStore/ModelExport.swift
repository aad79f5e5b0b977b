// What the store keeps and the protocols it conforms to live in the model module; the store
// re-exports it while the modules above it move to the protocols.
@_exported import WamigrateModel
