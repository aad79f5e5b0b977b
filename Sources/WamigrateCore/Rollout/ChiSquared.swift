import Foundation

/// Pearson's chi-squared test of independence on a k × 2 table (each variant's successes
/// and failures): are the variants' shares the same? The test Braze names for its winner.
public struct ChiSquared: Codable, Sendable, Equatable {
    public var statistic: Double
    public var degreesOfFreedom: Int
    /// The chance of a statistic at least this large if every variant had the same share.
    public var pValue: Double
    /// The smallest expected count of the table; under 5 the χ² approximation is rough.
    public var smallestExpected: Double

    /// nil when the table has fewer than two variants with messages, or no success or no failure at all.
    public init?(_ proportions: [Proportion]) {
        let rows = proportions.filter { $0.trials > 0 }
        let trials = Double(rows.reduce(0) { $0 + $1.trials })
        let successes = Double(rows.reduce(0) { $0 + $1.successes })
        guard rows.count >= 2, successes > 0, successes < trials else { return nil }
        var statistic = 0.0
        var smallest = Double.infinity
        for row in rows {
            let n = Double(row.trials)
            let expectedYes = n * successes / trials
            let expectedNo = n - expectedYes
            let yes = Double(row.successes)
            smallest = min(smallest, expectedYes, expectedNo)
            statistic += (yes - expectedYes) * (yes - expectedYes) / expectedYes
            statistic += (n - yes - expectedNo) * (n - yes - expectedNo) / expectedNo
        }
        self.statistic = statistic
        smallestExpected = smallest
        degreesOfFreedom = rows.count - 1
        pValue = Self.upperTail(statistic, degreesOfFreedom: degreesOfFreedom)
    }

    /// P(X ≥ x) for X ~ χ²(k): the regularized upper incomplete gamma Q(k/2, x/2).
    static func upperTail(_ x: Double, degreesOfFreedom k: Int) -> Double {
        guard x > 0 else { return 1 }
        let a = Double(k) / 2
        let z = x / 2
        let logPrefix = a * log(z) - z - lgamma(a)
        if z < a + 1 {
            // Series for the lower part P, then Q = 1 − P.
            var term = 1 / a
            var sum = term
            var denominator = a
            for _ in 0..<1_000 {
                denominator += 1
                term *= z / denominator
                sum += term
                if abs(term) < abs(sum) * 1e-15 { break }
            }
            return max(0, 1 - sum * exp(logPrefix))
        }
        // Lentz's continued fraction for Q.
        let tiny = 1e-300
        var b = z + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1...1_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return min(1, exp(logPrefix) * h)
    }
}
