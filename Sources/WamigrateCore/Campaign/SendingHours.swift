import Foundation
import WamigrateBase

/// When messages may go out, in the recipient's local time: daily hours and
/// quiet weekdays. `09:00-20:00`, quiet on Sunday, unless configured.
public struct SendingHours: Codable, Sendable, Equatable {
    /// Minutes after local midnight; `end` is exclusive.
    public var start: Int
    public var end: Int
    /// Quiet weekdays, as Calendar numbers them: 1 Sunday ... 7 Saturday.
    public var quietDays: [Int]

    public static let weekdayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    public init(start: Int = 9 * 60, end: Int = 20 * 60, quietDays: [Int] = [1]) {
        self.start = start
        self.end = end
        self.quietDays = quietDays
    }

    /// Parses `09:00-20:00` and `sat,sun`; the message says what is wrong.
    public init(hours: String, quietDays days: String) throws {
        let parts = hours.split(separator: "-").map { $0.split(separator: ":").compactMap { Int($0) } }
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && (0...24).contains($0[0]) && (0..<60).contains($0[1]) })
        else {
            throw WamigrateError(.usage, "sending hours '\(hours)' are not HH:MM-HH:MM", hint: "e.g. --hours 09:00-20:00")
        }
        start = parts[0][0] * 60 + parts[0][1]
        end = parts[1][0] * 60 + parts[1][1]
        guard start < end, end <= 24 * 60 else {
            throw WamigrateError(
                .usage, "sending hours '\(hours)' end before they start", hint: "hours run within one local day, e.g. 09:00-20:00"
            )
        }
        quietDays = []
        for day in days.lowercased().split(separator: ",") where !day.isEmpty {
            guard let index = Self.weekdayNames.firstIndex(of: String(day.prefix(3))) else {
                throw WamigrateError(.usage, "unknown quiet day '\(day)'", hint: "use sun, mon, tue, wed, thu, fri, sat")
            }
            quietDays.append(index + 1)
        }
        guard quietDays.count < 7 else {
            throw WamigrateError(.usage, "every day is quiet", hint: "leave at least one day for sending")
        }
    }

    public var description: String {
        let hm = { (m: Int) in String(format: "%02d:%02d", m / 60, m % 60) }
        let quiet = quietDays.sorted().map { Self.weekdayNames[$0 - 1] }.joined(separator: ",")
        return "\(hm(start))-\(hm(end))" + (quiet.isEmpty ? "" : ", quiet on \(quiet)")
    }
}

/// The UTC intervals in which a set of zones is inside sending hours, from a
/// start time for a number of days; computed once per zone set.
public final class SendingWindows {
    let hours: SendingHours
    let from: Int64
    let days: Int
    private var cache: [String: [Range<Int64>]] = [:]

    public init(hours: SendingHours, from: Int64, days: Int) {
        self.hours = hours
        self.from = from
        self.days = days
    }

    /// The window containing `time`, or the next one after it; nil past the horizon.
    public func window(zones: [String], atOrAfter time: Int64) -> Range<Int64>? {
        let list = intervals(zones)
        var low = 0
        var high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid].upperBound <= time { low = mid + 1 } else { high = mid }
        }
        return low < list.count ? list[low] : nil
    }

    /// True when `time` is inside sending hours for every zone.
    public func allows(zones: [String], at time: Int64) -> Bool {
        window(zones: zones, atOrAfter: time).map { $0.contains(time) } ?? false
    }

    func intervals(_ zones: [String]) -> [Range<Int64>] {
        let key = zones.joined(separator: "|")
        if let hit = cache[key] { return hit }
        var result = zones.isEmpty ? [] : local(zones[0])
        for zone in zones.dropFirst() { result = Self.intersect(result, local(zone)) }
        cache[key] = result
        return result
    }

    /// One zone's open hours as UTC intervals, from the local day before `from` to the horizon.
    private func local(_ identifier: String) -> [Range<Int64>] {
        guard let zone = TimeZone(identifier: identifier) else { return [] }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let first = calendar.startOfDay(for: Date(timeIntervalSince1970: Double(from) - 86_400))
        var list: [Range<Int64>] = []
        for offset in 0...(days + 2) {
            guard let day = calendar.date(byAdding: .day, value: offset, to: first) else { continue }
            if hours.quietDays.contains(calendar.component(.weekday, from: day)) { continue }
            let parts = calendar.dateComponents([.year, .month, .day], from: day)
            func at(_ minutes: Int) -> Int64? {
                var c = parts
                c.hour = minutes / 60
                c.minute = minutes % 60
                if minutes == 24 * 60 {
                    return calendar.date(byAdding: .day, value: 1, to: day).map { Int64($0.timeIntervalSince1970) }
                }
                return calendar.date(from: c).map { Int64($0.timeIntervalSince1970) }
            }
            guard let open = at(hours.start), let close = at(hours.end), max(open, from) < close else { continue }
            list.append(max(open, from)..<close)
        }
        return list
    }

    static func intersect(_ a: [Range<Int64>], _ b: [Range<Int64>]) -> [Range<Int64>] {
        var out: [Range<Int64>] = []
        var i = 0
        var j = 0
        while i < a.count, j < b.count {
            let low = max(a[i].lowerBound, b[j].lowerBound)
            let high = min(a[i].upperBound, b[j].upperBound)
            if low < high { out.append(low..<high) }
            if a[i].upperBound < b[j].upperBound { i += 1 } else { j += 1 }
        }
        return out
    }
}
