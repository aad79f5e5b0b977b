import Foundation

/// Request-level faults and their rates, from `429=0.05,500=0.02,slow=0.01`.
/// At most one fault hits a request; which one is a keyed hash of the
/// request's sequence number, so a run with the same seed sees the same faults.
public struct FaultPlan: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// 429 with error 1015 and `Retry-After`.
        case tooMany = "429"
        /// 500 with error 1014.
        case internalError = "500"
        /// 503 with error 1011.
        case unavailable = "503"
        /// The answer arrives `slowSeconds` late.
        case slow
        /// The answer stalls for `hangSeconds`, past a client's timeout.
        case timeout
        /// 200 with the JSON body cut in half.
        case truncated
        /// 200 with a body that is not JSON.
        case malformed
        /// The bearer token presented is treated as expired: 401 (error 1005, or 190 on Graph routes).
        case expire
        /// The connection closes before the request is taken: nothing happened, no answer.
        case reset
        /// The request is taken (a message is sent), then the connection closes with no answer.
        case drop
        /// The request is taken, then a proxy answers 504 with an HTML page.
        case gatewayTimeout = "504"
    }

    /// Faults that strike after the request was taken: the client cannot know it was.
    public static let afterTaking: Set<Kind> = [.drop, .gatewayTimeout, .truncated, .malformed, .timeout]

    public var rates: [Kind: Double] = [:]

    public init(rates: [Kind: Double] = [:]) { self.rates = rates }

    /// Parses `kind=rate,...`; the message names what is wrong.
    public init(parsing text: String) throws(SandboxConfigError) {
        for item in text.split(separator: ",") where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let kind = Kind(rawValue: parts[0]) else {
                throw SandboxConfigError(
                    "unknown fault '\(item)'; use kind=rate with kind one of "
                        + Kind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard let rate = Double(parts[1]), (0...1).contains(rate) else {
                throw SandboxConfigError("fault rate '\(parts[1])' for \(parts[0]) must be a number from 0 to 1")
            }
            rates[kind] = rate
        }
        guard rates.values.reduce(0, +) <= 1 else {
            throw SandboxConfigError("fault rates add up to more than 1")
        }
    }

    /// The fault for request number `sequence`, or nil.
    func draw(sequence: UInt64, seed: UInt64) -> Kind? {
        var point = Mix.unit(seed &+ 0x5EED, sequence)
        for kind in Kind.allCases {
            guard let rate = rates[kind] else { continue }
            if point < rate { return kind }
            point -= rate
        }
        return nil
    }
}

/// The sandbox's routes, as `--fault-routes` names them.
public enum FaultRoute: String, Sendable, CaseIterable {
    case contacts, messages, templates, sms, viber

    /// Parses `messages,sms`; the message names what is wrong.
    public static func parse(_ text: String) throws(SandboxConfigError) -> Set<FaultRoute> {
        var routes = Set<FaultRoute>()
        for item in text.split(separator: ",") {
            guard let route = FaultRoute(rawValue: item.trimmingCharacters(in: .whitespaces)) else {
                throw SandboxConfigError(
                    "unknown route '\(item)' in --fault-routes; use " + allCases.map(\.rawValue).joined(separator: ", "))
            }
            routes.insert(route)
        }
        return routes
    }
}

public struct SandboxConfigError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// splitmix64: a fast keyed hash to [0, 1).
enum Mix {
    static func hash(_ seed: UInt64, _ value: UInt64) -> UInt64 {
        var z = seed &+ value &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func unit(_ seed: UInt64, _ value: UInt64) -> Double {
        Double(hash(seed, value) >> 11) / Double(UInt64(1) << 53)
    }

    static func unit(_ seed: UInt64, _ text: String) -> Double {
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { value = (value ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return unit(seed, value)
    }
}
