import Foundation
import WamigrateModel

/// successes of trials, with the intervals a rollout reports.
public struct Proportion: Codable, Sendable, Equatable {
    public var successes: Int
    public var trials: Int

    public init(successes: Int, trials: Int) {
        self.successes = successes
        self.trials = trials
    }

    public var share: Double { trials == 0 ? 0 : Double(successes) / Double(trials) }

    /// Wilson's score interval (the normal-approximation interval fails near 0 and 1, where
    /// opt-out and block rates live). No trials: the whole of [0, 1].
    public func wilson(z: Double = Normal.z95) -> Interval {
        guard trials > 0 else { return Interval(lower: 0, upper: 1) }
        let n = Double(trials)
        let p = share
        let z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        return Interval(lower: max(0, centre - half), upper: min(1, centre + half))
    }

    /// Newcombe's hybrid score interval for `self − other` (his method 10), built from the
    /// two Wilson intervals; it keeps its coverage for small shares and small samples.
    public func difference(from other: Proportion, z: Double = Normal.z95) -> Interval {
        let (p1, p2) = (share, other.share)
        let (a, b) = (wilson(z: z), other.wilson(z: z))
        let d = p1 - p2
        return Interval(
            lower: d - ((p1 - a.lower) * (p1 - a.lower) + (b.upper - p2) * (b.upper - p2)).squareRoot(),
            upper: d + ((a.upper - p1) * (a.upper - p1) + (p2 - b.lower) * (p2 - b.lower)).squareRoot())
    }
}

public struct Interval: Codable, Sendable, Equatable {
    public var lower: Double
    public var upper: Double

    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }
}

/// The standard normal distribution's quantiles a rollout uses.
public enum Normal {
    /// Two-sided 95 %.
    public static let z95 = 1.959_963_984_540_054
    /// One-sided 80 % (the power of a sample-size estimate).
    public static let z80 = 0.841_621_233_572_914

    /// The quantile of `p` in (0, 1) (Acklam's rational approximation, relative error < 1.2e-9).
    public static func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1)
        let a = [
            -39.696_830_286_653_76, 220.946_098_424_520_5, -275.928_510_446_968_7, 138.357_751_867_269, -30.664_798_066_147_16,
            2.506_628_277_459_239,
        ]
        let b = [
            -54.476_098_798_224_06, 161.585_836_858_040_9, -155.698_979_859_886_6, 66.801_311_887_719_72, -13.280_681_552_885_72,
        ]
        let c = [
            -0.007_784_894_002_430_293, -0.322_396_458_041_136_4, -2.400_758_277_161_838, -2.549_732_539_343_734,
            4.374_664_141_464_968, 2.938_163_982_698_783,
        ]
        let d = [0.007_784_695_709_041_462, 0.322_467_129_070_039_8, 2.445_134_137_142_996, 3.754_408_661_907_416]
        let low = 0.024_25
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p > 1 - low { return -quantile(1 - p) }
        let q = p - 0.5
        let r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}

extension SignalCounts {
    public func proportion(_ signal: RolloutSignal) -> Proportion {
        Proportion(successes: self[signal], trials: measured)
    }
}
