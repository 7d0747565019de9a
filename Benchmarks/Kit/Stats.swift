/// Median, minimum and maximum of repeated measurements.
public struct Stats: Codable, Equatable, Sendable {
    public var median: Double
    public var min: Double
    public var max: Double

    public init(median: Double, min: Double, max: Double) {
        self.median = median
        self.min = min
        self.max = max
    }

    /// The statistics of `samples` (at least one); an even count takes the mean of the middle two.
    public init(samples: [Double]) {
        precondition(!samples.isEmpty, "Stats: no samples")
        let s = samples.sorted(), n = s.count
        median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
        min = s[0]
        max = s[n - 1]
    }

    /// Every figure multiplied by `factor` (> 0).
    public func scaled(by factor: Double) -> Stats {
        precondition(factor > 0, "Stats.scaled: factor must be positive")
        return Stats(median: median * factor, min: min * factor, max: max * factor)
    }

    /// `numerator / x` for every figure (> 0): the smallest time becomes the largest rate.
    public func reciprocal(times numerator: Double = 1) -> Stats {
        Stats(median: numerator / median, min: numerator / max, max: numerator / min)
    }

    /// max / min − 1: how far the slowest repetition was from the fastest.
    public var spread: Double { min > 0 ? max / min - 1 : 0 }
}

/// When to stop repeating one measurement.
///
/// A measurement runs the work once untimed (which also tells how long one run takes),
/// `warmup − 1` more untimed runs, then timed samples. Each sample repeats the work
/// `innerIterations` times so that it lasts at least `sampleSeconds` (short calls are
/// not timer-bound). Samples continue until at least `minimum` were taken and
/// `targetSeconds` of samples have passed, or `maximum` were taken.
///
/// On a shared machine a measurement can be descheduled: if the measuring thread was on a
/// CPU for less than `minimumCPUShare` of the sampling time, the whole measurement is
/// repeated, up to `attempts` times in all, and the attempt with the highest share is kept
/// (its share is recorded with the result).
public struct RepetitionPolicy: Codable, Equatable, Sendable {
    public var warmup: Int
    public var minimum: Int
    public var maximum: Int
    public var targetSeconds: Double
    public var sampleSeconds: Double
    public var attempts: Int
    public var minimumCPUShare: Double

    public init(warmup: Int, minimum: Int, maximum: Int, targetSeconds: Double, sampleSeconds: Double,
                attempts: Int = 1, minimumCPUShare: Double = 0.9) {
        precondition(warmup >= 1 && minimum >= 1 && maximum >= minimum && attempts >= 1, "RepetitionPolicy: bad counts")
        self.warmup = warmup
        self.minimum = minimum
        self.maximum = maximum
        self.targetSeconds = targetSeconds
        self.sampleSeconds = sampleSeconds
        self.attempts = attempts
        self.minimumCPUShare = minimumCPUShare
    }

    /// The default run: the whole suite in well under two minutes on 2 cores.
    public static let standard = RepetitionPolicy(warmup: 2, minimum: 7, maximum: 41, targetSeconds: 0.5, sampleSeconds: 0.005,
                                                  attempts: 3)
    /// `--long`: more and longer samples, steadier medians.
    public static let long = RepetitionPolicy(warmup: 3, minimum: 15, maximum: 201, targetSeconds: 2.0, sampleSeconds: 0.02,
                                              attempts: 4)

    enum CodingKeys: String, CodingKey {
        case warmup, minimum, maximum, targetSeconds, sampleSeconds, attempts, minimumCPUShare
    }

    /// Reads a policy; `attempts` and `minimumCPUShare` may be missing (1 and 0.9).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(warmup: try c.decode(Int.self, forKey: .warmup), minimum: try c.decode(Int.self, forKey: .minimum),
                  maximum: try c.decode(Int.self, forKey: .maximum), targetSeconds: try c.decode(Double.self, forKey: .targetSeconds),
                  sampleSeconds: try c.decode(Double.self, forKey: .sampleSeconds),
                  attempts: try c.decodeIfPresent(Int.self, forKey: .attempts) ?? 1,
                  minimumCPUShare: try c.decodeIfPresent(Double.self, forKey: .minimumCPUShare) ?? 0.9)
    }

    /// Whether another attempt should replace one whose thread was on a CPU `share` of the time.
    public func shouldRetry(attempt: Int, cpuShare share: Double) -> Bool {
        share < minimumCPUShare && attempt < attempts
    }

    /// How many runs of work that takes `seconds` make one sample (at least 1, at most 1,000,000).
    public func innerIterations(singleRunSeconds seconds: Double) -> Int {
        guard seconds > 0 else { return 1_000_000 }
        return Swift.max(1, Swift.min(1_000_000, Int((sampleSeconds / seconds).rounded(.up))))
    }

    /// Whether to take another sample after `samples` samples that took `elapsed` seconds in all.
    public func shouldContinue(samples: Int, elapsed: Double) -> Bool {
        if samples < minimum { return true }
        if samples >= maximum { return false }
        return elapsed < targetSeconds
    }
}
