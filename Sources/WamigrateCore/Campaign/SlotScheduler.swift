/// Hands out send times for one channel: at most `perSecond` messages in any
/// one second and `perDay` in any UTC day, each inside its zones' sending
/// windows, as early as possible. Full seconds are skipped with a union-find
/// "next free second" map, so a million slots cost about a million steps.
struct SlotScheduler {
    let perSecond: Int
    let perDay: Int?
    private var used: [Int64: Int32] = [:]
    private var next: [Int64: Int64] = [:]
    private var daily: [Int64: Int] = [:]

    init(perSecond: Int, perDay: Int?) {
        self.perSecond = max(1, perSecond)
        self.perDay = perDay
    }

    /// The first second at or after `earliest` with room, inside a window; nil when none is left before the horizon.
    mutating func take(earliest: Int64, window: (Int64) -> Range<Int64>?) -> Int64? {
        var time = earliest
        while true {
            time = free(time)
            guard let open = window(time) else { return nil }
            if time < open.lowerBound {
                time = open.lowerBound
                continue
            }
            let day = time >= 0 ? time / 86_400 : (time - 86_399) / 86_400
            if let perDay, daily[day, default: 0] >= perDay {
                time = (day + 1) * 86_400
                continue
            }
            let count = used[time, default: 0] + 1
            used[time] = count
            if Int(count) >= perSecond { next[time] = time + 1 }
            daily[day, default: 0] += 1
            return time
        }
    }

    /// The first second at or after `time` that is not full (with path compression).
    private mutating func free(_ time: Int64) -> Int64 {
        var root = time
        while let later = next[root] { root = later }
        var walk = time
        while let later = next[walk], later != root {
            next[walk] = root
            walk = later
        }
        return root
    }
}
