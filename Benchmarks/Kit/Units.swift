import Foundation

/// Unit conversions and number formatting shared by the table, the plot and the JSON.
public enum Units {
    /// Sequence-steps per second from seconds per sequence-step.
    public static func stepsPerSecond(secondsPerStep: Stats) -> Stats { secondsPerStep.reciprocal() }

    /// GFLOP/s from seconds per sequence-step and flops per step.
    public static func gflops(secondsPerStep: Stats, flopsPerStep: Double) -> Stats {
        secondsPerStep.reciprocal(times: flopsPerStep * 1e-9)
    }

    /// `gflops` as a percentage of `peakGflops`.
    public static func percent(of peakGflops: Double, _ gflops: Stats) -> Stats {
        gflops.scaled(by: 100 / peakGflops)
    }

    /// Seconds per sequence-step from the wall time of `runs` runs of `sequences` × `length` steps.
    public static func secondsPerStep(wallSeconds: Double, runs: Int, sequences: Int, length: Int) -> Double {
        wallSeconds / (Double(runs) * Double(sequences) * Double(length))
    }

    /// A value with an SI prefix and about three significant digits: 1234567 -> "1.23 M".
    public static func si(_ value: Double) -> String {
        guard value.isFinite else { return "—" }
        let prefixes: [(Double, String)] = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]
        for (scale, prefix) in prefixes where abs(value) >= scale * 0.9995 {
            return "\(significant(value / scale)) \(prefix)"
        }
        return significant(value)
    }

    /// About three significant digits, no exponent: 0.01234 -> "0.0123", 45.67 -> "45.7", 1234 -> "1234".
    public static func significant(_ value: Double) -> String {
        guard value.isFinite else { return "—" }
        let a = abs(value)
        let decimals = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : a >= 0.1 ? 3 : a >= 0.01 ? 4 : 5
        return String(format: "%.\(decimals)f", value)
    }

    /// Nanoseconds with about three significant digits from seconds: 4.56e-8 -> "45.6".
    public static func nanoseconds(_ seconds: Double) -> String { significant(seconds * 1e9) }

    /// "45.6 [44.1–48.0]": median with min–max, each formatted by `format`.
    public static func range(_ s: Stats, _ format: (Double) -> String = significant) -> String {
        "\(format(s.median)) [\(format(s.min))–\(format(s.max))]"
    }

    /// A ratio like "3.2×" (two significant digits below 10, none above 100).
    public static func ratio(_ r: Double) -> String {
        guard r.isFinite, r > 0 else { return "—" }
        return "\(r >= 100 ? String(format: "%.0f", r) : r >= 10 ? String(format: "%.1f", r) : String(format: "%.2f", r))×"
    }
}
