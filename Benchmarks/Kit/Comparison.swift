/// Ratios between results measured in one run (or in two runs on one machine).
public enum Comparison {
    /// CellForge's one-core figure per configuration: of the single-worker CellForge results
    /// (one kernel call per sequence, the batch driver on one worker…), the fastest by median.
    /// Every one-core comparison (reference, PyTorch, targets, summary) uses these.
    public static func bestSingleWorker(_ results: [BenchmarkResult]) -> [BenchmarkResult] {
        var best: [Configuration: BenchmarkResult] = [:]
        for r in results where r.implementation == "cellforge" && r.threads == 1 {
            if let b = best[r.configuration], b.secondsPerStep.median <= r.secondsPerStep.median { continue }
            best[r.configuration] = r
        }
        return best.values.sorted { $0.configuration < $1.configuration }
    }

    /// CellForge's one-core figure per kernel: as `bestSingleWorker`, but the kernels of one
    /// configuration at different vector widths (`LSTM_H8_D8_Float`, `LSTM_H8_D8_Float_V512`)
    /// stay apart. Sorted by configuration, then width.
    public static func bestSingleWorkerPerKernel(_ results: [BenchmarkResult]) -> [BenchmarkResult] {
        struct Key: Hashable { var configuration: Configuration; var vectorBits: Int? }
        var best: [Key: BenchmarkResult] = [:]
        for r in results where r.implementation == "cellforge" && r.threads == 1 {
            let key = Key(configuration: r.configuration, vectorBits: r.vectorBits)
            if let b = best[key], b.secondsPerStep.median <= r.secondsPerStep.median { continue }
            best[key] = r
        }
        return best.values.sorted { ($0.configuration, $0.vectorBits ?? 0) < ($1.configuration, $1.vectorBits ?? 0) }
    }

    /// A generated kernel's result beside the reference's for the same configuration.
    public struct Speedup: Equatable, Sendable {
        public var kernel: BenchmarkResult
        public var reference: BenchmarkResult
        /// reference time / kernel time, by median.
        public var ratio: Double { reference.secondsPerStep.median / kernel.secondsPerStep.median }
    }

    /// For every CellForge result, the reference result of the same configuration and
    /// thread count. Latency and streaming are compared with the reference's forward
    /// throughput (the reference runs sequence by sequence anyway).
    public static func speedups(_ results: [BenchmarkResult]) -> [Speedup] {
        var reference: [Configuration: BenchmarkResult] = [:]
        for r in results where r.implementation == "reference" && r.threads == 1 { reference[r.configuration] = r }
        return bestSingleWorker(results).compactMap { r in
            var key = r.configuration
            if key.mode == .latency || key.mode == .streaming { key.mode = .forward }
            return reference[key].map { Speedup(kernel: r, reference: $0) }
        }
    }

    /// One configuration as CellForge (one worker) and the peer (per thread count) measured it.
    public struct PeerRow: Equatable, Sendable {
        public var configuration: Configuration
        public var cellforge: BenchmarkResult?
        /// Peer results by thread count.
        public var peer: [Int: BenchmarkResult]

        /// CellForge steps/s over the peer's at `threads`, by median (nil if either is missing).
        public func ratio(threads: Int) -> Double? {
            guard let c = cellforge, let p = peer[threads] else { return nil }
            return p.secondsPerStep.median / c.secondsPerStep.median
        }
    }

    /// Joins CellForge's single-worker results with a peer's (PyTorch) on (cell, H, D, scalar, mode).
    /// Rows are sorted; configurations only one side measured are kept with the other side missing.
    public static func peerRows(cellforge: [BenchmarkResult], peer: [BenchmarkResult]) -> [PeerRow] {
        var rows: [Configuration: PeerRow] = [:]
        for r in bestSingleWorker(cellforge) {
            rows[r.configuration, default: PeerRow(configuration: r.configuration, cellforge: nil, peer: [:])].cellforge = r
        }
        for r in peer where r.implementation == "pytorch" {
            rows[r.configuration, default: PeerRow(configuration: r.configuration, cellforge: nil, peer: [:])].peer[r.threads] = r
        }
        return rows.values.sorted { $0.configuration < $1.configuration }
    }

    /// Throughput with `threads` workers over one worker, for results that differ only in
    /// worker count (same implementation, runner, kernel, configuration).
    public struct Scaling: Equatable, Sendable {
        public var single: BenchmarkResult
        public var parallel: BenchmarkResult
        public var ratio: Double { single.secondsPerStep.median / parallel.secondsPerStep.median }
    }

    /// Every (one worker, most workers) pair in `results`. Empty until a multi-worker runner reports.
    public static func scaling(_ results: [BenchmarkResult]) -> [Scaling] {
        struct Key: Hashable { var kernel, implementation, runner: String; var configuration: Configuration }
        var groups: [Key: [BenchmarkResult]] = [:]
        for r in results {
            groups[Key(kernel: r.kernel, implementation: r.implementation, runner: r.runner, configuration: r.configuration),
                   default: []].append(r)
        }
        return groups.values.compactMap { g -> Scaling? in
            guard let one = g.first(where: { $0.threads == 1 }), let most = g.max(by: { $0.threads < $1.threads }),
                  most.threads > 1 else { return nil }
            return Scaling(single: one, parallel: most)
        }.sorted { ($0.single.implementation, $0.single.configuration) < ($1.single.implementation, $1.single.configuration) }
    }
}

/// The issue's performance targets, checked against one run's figures.
public struct Target: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// Median time per step at most this many nanoseconds.
        case maxNanosecondsPerStep(Double)
        /// Median percentage of peak at least this.
        case minPercentOfPeak(Double)
        /// CellForge (one worker) at least this many times the peer's throughput at `threads`.
        case minRatioOverPeer(Double, threads: Int)
    }

    public var name: String
    public var configuration: Configuration
    public var kind: Kind

    public init(name: String, configuration: Configuration, kind: Kind) {
        self.name = name
        self.configuration = configuration
        self.kind = kind
    }

    /// The targets of the throughput-benchmark issue (Float kernels).
    public static let issueTargets: [Target] = {
        func c(_ cell: Cell, _ h: Int, _ d: Int, _ m: Mode) -> Configuration {
            Configuration(cell: cell, hidden: h, input: d, scalar: "float", mode: m)
        }
        return [
            Target(name: "training vs PyTorch (1 thread) ≥ 3× at LSTM H8 D8", configuration: c(.lstm, 8, 8, .training),
                   kind: .minRatioOverPeer(3, threads: 1)),
            Target(name: "training vs PyTorch (1 thread) ≥ 1.5× at LSTM H64 D64", configuration: c(.lstm, 64, 64, .training),
                   kind: .minRatioOverPeer(1.5, threads: 1)),
            Target(name: "training ≥ 50% of FMA peak at LSTM H64 D64", configuration: c(.lstm, 64, 64, .training),
                   kind: .minPercentOfPeak(50)),
            Target(name: "single-sequence inference ≤ 40 ns/step at LSTM H8 D8", configuration: c(.lstm, 8, 8, .latency),
                   kind: .maxNanosecondsPerStep(40)),
            Target(name: "single-sequence inference ≤ 400 ns/step at LSTM H64 D64", configuration: c(.lstm, 64, 64, .latency),
                   kind: .maxNanosecondsPerStep(400)),
        ]
    }()

    /// The outcome of one target.
    public struct Outcome: Equatable, Sendable {
        public var target: Target
        /// The measured figure, formatted ("52.1 ns/step", "3.4×", "61%"), or nil if not measured.
        public var measured: String?
        /// Whether the median meets the target; nil if not measured (or, for a percentage of
        /// the FMA peak, if the run's peak was a separate multiply and add).
        public var met: Bool?
    }

    /// Checks the target against CellForge's results (and the peer's, for ratios).
    /// `fmaPeak`: whether the run's peak was measured with fused multiply-adds; a percentage
    /// of a multiply+add peak is shown but cannot meet a target stated against the FMA peak.
    public func evaluate(cellforge: [BenchmarkResult], peer: [BenchmarkResult], fmaPeak: Bool = true) -> Outcome {
        let own = Comparison.bestSingleWorker(cellforge).first { $0.configuration == configuration }
        switch kind {
        case .maxNanosecondsPerStep(let limit):
            guard let own else { return Outcome(target: self, measured: nil, met: nil) }
            let ns = own.secondsPerStep.median * 1e9
            return Outcome(target: self, measured: "\(Units.significant(ns)) ns/step", met: ns <= limit)
        case .minPercentOfPeak(let limit):
            guard let p = own?.percentOfPeak else { return Outcome(target: self, measured: nil, met: nil) }
            let measured = "\(Units.significant(p.median))%" + (fmaPeak ? "" : " of mul+add peak")
            return Outcome(target: self, measured: measured, met: fmaPeak ? p.median >= limit : nil)
        case .minRatioOverPeer(let limit, let threads):
            let row = Comparison.peerRows(cellforge: cellforge, peer: peer).first { $0.configuration == configuration }
            guard let r = row?.ratio(threads: threads) else { return Outcome(target: self, measured: nil, met: nil) }
            return Outcome(target: self, measured: Units.ratio(r), met: r >= limit)
        }
    }
}
