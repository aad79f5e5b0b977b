/// Words every engine's writer lock shares.
public enum StoreLockWords {
    /// The holder a receiver's processing pass names: other commands wait for it briefly
    /// instead of refusing (it lets go within moments).
    public static let briefHolder = "webhook serve: processing"
}
