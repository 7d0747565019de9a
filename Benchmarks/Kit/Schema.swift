import Foundation

/// One benchmark run, as `--json` writes it and as `peers/torch_lstm.py` writes it too.
///
/// Every time is stored once, as `secondsPerStep` (seconds per sequence-step: wall time
/// divided by sequences × steps); `stepsPerSecond`, `gflops` and `percentOfPeak` are
/// derived from it with `Units` and stored alongside so that the file stands alone.
/// Keys are stable; a reader ignores keys it does not know, and optional keys may be
/// missing or null.
public struct BenchmarkReport: Codable, Equatable, Sendable {
    /// "cellforge-benchmarks/1".
    public static let currentSchema = "cellforge-benchmarks/1"

    public var schema: String
    /// The program that wrote the file: "cellforge" or "pytorch".
    public var producer: String
    /// ISO 8601, UTC.
    public var date: String
    public var machine: Machine
    public var build: Build
    public var settings: Settings
    /// Measured peaks, one per vector type (none in a PyTorch file).
    public var peaks: [Peak]
    public var results: [BenchmarkResult]

    public init(producer: String, date: String, machine: Machine, build: Build, settings: Settings,
                peaks: [Peak], results: [BenchmarkResult]) {
        self.schema = Self.currentSchema
        self.producer = producer
        self.date = date
        self.machine = machine
        self.build = build
        self.settings = settings
        self.peaks = peaks
        self.results = results
    }

    /// The peak for `scalar` ("float" or "double"), if measured.
    public func peak(for scalar: String) -> Peak? { peaks.first { $0.scalar == scalar } }

    /// The report as pretty-printed JSON with sorted keys.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads a report and checks its schema.
    public static func decode(_ data: Data) throws -> BenchmarkReport {
        let report = try JSONDecoder().decode(BenchmarkReport.self, from: data)
        guard report.schema == currentSchema else { throw SchemaError.unsupported(report.schema) }
        return report
    }

    /// "2026-11-21T06:30:00Z" for `date`.
    public static func timestamp(_ date: Date = Date()) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}

public enum SchemaError: Error, CustomStringConvertible, Equatable {
    case unsupported(String)

    public var description: String {
        switch self {
        case .unsupported(let s): "unsupported benchmark schema \"\(s)\" (expected \"\(BenchmarkReport.currentSchema)\")"
        }
    }
}

/// Where the run happened.
public struct Machine: Codable, Equatable, Sendable {
    /// "model name" from /proc/cpuinfo.
    public var cpu: String
    /// Logical processors the process may use.
    public var cores: Int
    /// Vector extensions from /proc/cpuinfo's flags that matter here (avx2, fma, avx512f).
    public var cpuFlags: [String]
    public var os: String

    public init(cpu: String, cores: Int, cpuFlags: [String], os: String) {
        self.cpu = cpu
        self.cores = cores
        self.cpuFlags = cpuFlags
        self.os = os
    }
}

/// How the measured code was built. CellForge fills the Swift fields, the PyTorch peer
/// the torch fields.
public struct Build: Codable, Equatable, Sendable {
    /// "Swift 6.3.1" (compile-time `#if compiler`), or "Python 3.11.7".
    public var compiler: String
    /// "release" / "debug".
    public var configuration: String
    /// Whether `CELLFORGE_FMA` was defined when the benchmark was compiled (`#if`).
    public var cellforgeFMA: Bool?
    /// `-target-cpu` the kernels were compiled with, if it could be told (SwiftPM's build manifest).
    public var targetCPU: String?
    /// Compiler flags of the kernels' module that change code generation (-O…, -D…, -target-cpu …).
    public var flags: [String]?
    /// Where `targetCPU` and `flags` were read, or why they are missing.
    public var flagsSource: String?
    /// Bits of the widest vector the kernels use when all share one width (earlier reports:
    /// 256); nil when widths differ, each result then carrying its own `vectorBits`.
    public var vectorBits: Int?
    public var torchVersion: String?
    public var mkldnnAvailable: Bool?
    public var mkldnnEnabled: Bool?
    /// torch.backends.cpu.get_cpu_capability(), e.g. "AVX2".
    public var torchCPUCapability: String?
    /// Free-form remarks (what was inferred and how).
    public var notes: [String]

    public init(compiler: String, configuration: String, cellforgeFMA: Bool? = nil, targetCPU: String? = nil,
                flags: [String]? = nil, flagsSource: String? = nil, vectorBits: Int? = nil, torchVersion: String? = nil,
                mkldnnAvailable: Bool? = nil, mkldnnEnabled: Bool? = nil, torchCPUCapability: String? = nil,
                notes: [String] = []) {
        self.compiler = compiler
        self.configuration = configuration
        self.cellforgeFMA = cellforgeFMA
        self.targetCPU = targetCPU
        self.flags = flags
        self.flagsSource = flagsSource
        self.vectorBits = vectorBits
        self.torchVersion = torchVersion
        self.mkldnnAvailable = mkldnnAvailable
        self.mkldnnEnabled = mkldnnEnabled
        self.torchCPUCapability = torchCPUCapability
        self.notes = notes
    }
}

/// The workload and the repetition policy.
public struct Settings: Codable, Equatable, Sendable {
    /// N, sequences per batch in forward and training throughput.
    public var sequences: Int
    /// T, steps per sequence.
    public var length: Int
    /// Sequences the reference runs (its time is per sequence-step, so it scales).
    public var referenceSequences: Int?
    public var repetitions: RepetitionPolicy
    public var long: Bool
    /// Thread counts measured (PyTorch) or worker counts (CellForge).
    public var threads: [Int]
    /// Bytes past a 64-byte boundary where CellForge's buffers started (0: aligned).
    public var bufferOffset: Int?

    public init(sequences: Int, length: Int, referenceSequences: Int?, repetitions: RepetitionPolicy, long: Bool, threads: [Int],
                bufferOffset: Int? = nil) {
        self.sequences = sequences
        self.length = length
        self.referenceSequences = referenceSequences
        self.repetitions = repetitions
        self.long = long
        self.threads = threads
        self.bufferOffset = bufferOffset
    }
}

/// A measured single-core multiply-add peak.
public struct Peak: Codable, Equatable, Sendable {
    /// "float" or "double".
    public var scalar: String
    /// Lanes and bits of the vector type ("SIMD8<Float>": 8, 256).
    public var lanes: Int
    public var bits: Int
    /// Independent accumulator chains in the loop.
    public var chains: Int
    /// Whether the multiply-add was one fused instruction (built with CELLFORGE_FMA).
    public var fused: Bool
    /// GFLOP/s (a multiply-add counts 2).
    public var gflops: Stats
    /// Share of the sampling time the thread was on a CPU (see `BenchmarkResult.cpuShare`).
    public var cpuShare: Double?

    public init(scalar: String, lanes: Int, bits: Int, chains: Int, fused: Bool, gflops: Stats, cpuShare: Double? = nil) {
        self.scalar = scalar
        self.lanes = lanes
        self.bits = bits
        self.chains = chains
        self.fused = fused
        self.gflops = gflops
        self.cpuShare = cpuShare
    }
}

/// One measured configuration.
public struct BenchmarkResult: Codable, Equatable, Sendable {
    /// "LSTM_H8_D8_Float", "ReferenceLSTM<Float>", "torch.nn.LSTM".
    public var kernel: String
    /// "cellforge" (a generated kernel), "reference" (CellForge's reference cell) or "pytorch".
    public var implementation: String
    /// How the batch was driven: "sequential" (one call per sequence on one core),
    /// later "batchdriver"; for PyTorch the backend path ("onednn", "native").
    public var runner: String
    public var cell: Cell
    public var hidden: Int
    public var input: Int
    /// "float" or "double".
    public var scalar: String
    public var mode: Mode
    /// Threads (PyTorch) or workers (CellForge) used.
    public var threads: Int
    /// Sequences per timed run and steps per sequence.
    public var sequences: Int
    public var length: Int
    /// Timed samples taken.
    public var repetitions: Int
    public var flopsPerStep: Double
    public var secondsPerStep: Stats
    public var stepsPerSecond: Stats
    public var gflops: Stats
    /// Percentage of the same run's peak for this scalar (nil when no peak was measured).
    public var percentOfPeak: Stats?
    /// CPU time of the measuring threads over wall time × threads, during the timed samples.
    /// With one thread, below about 0.9 means the benchmark was descheduled (other load on
    /// the machine) and the median is inflated; with more it also measures utilisation.
    public var cpuShare: Double?
    /// Whole measurements made; the one with the highest `cpuShare` is kept (`RepetitionPolicy`).
    public var attempts: Int?
    /// Bits of the widest vector the kernel was generated for (128, 256 or 512); nil for the
    /// reference cells and peers. `percentOfPeak` is against the peak at this width.
    public var vectorBits: Int?
    /// For a kernel of a width other than 256 bits: percentage of the same run's 256-bit peak
    /// for this scalar (SIMD8<Float>, SIMD4<Double>), the peak the issue targets quote; nil
    /// otherwise (for a 256-bit kernel it is `percentOfPeak`).
    public var percentOfPeak256: Stats?
    /// Heap allocations per step, counted where the process runs under the malloc-counting
    /// shim (README, "Real-time rules"); set for `streaming` (one `forward` call per step),
    /// nil otherwise and without the shim.
    public var allocationsPerStep: Double?

    /// A result with every derived figure computed from `secondsPerStep`.
    public init(kernel: String, implementation: String, runner: String, cell: Cell, hidden: Int, input: Int,
                scalar: String, mode: Mode, threads: Int, sequences: Int, length: Int, repetitions: Int,
                secondsPerStep: Stats, peakGflops: Double?, cpuShare: Double? = nil, attempts: Int? = nil,
                vectorBits: Int? = nil, peak256Gflops: Double? = nil) {
        self.kernel = kernel
        self.implementation = implementation
        self.runner = runner
        self.cell = cell
        self.hidden = hidden
        self.input = input
        self.scalar = scalar
        self.mode = mode
        self.threads = threads
        self.sequences = sequences
        self.length = length
        self.repetitions = repetitions
        self.secondsPerStep = secondsPerStep
        self.vectorBits = vectorBits
        flopsPerStep = FlopModel.perStep(cell, hidden: hidden, input: input, mode: mode)
        stepsPerSecond = Units.stepsPerSecond(secondsPerStep: secondsPerStep)
        gflops = Units.gflops(secondsPerStep: secondsPerStep, flopsPerStep: flopsPerStep)
        percentOfPeak = peakGflops.map { Units.percent(of: $0, gflops) }
        percentOfPeak256 = vectorBits == 256 ? nil : peak256Gflops.map { Units.percent(of: $0, gflops) }
        self.cpuShare = cpuShare
        self.attempts = attempts
    }

    /// What the result is about, without who computed it or how.
    public var configuration: Configuration {
        Configuration(cell: cell, hidden: hidden, input: input, scalar: scalar, mode: mode)
    }

    /// "LSTM H8 D8".
    public var shapeName: String { "\(cell.displayName) H\(hidden) D\(input)" }
}

/// A (cell, H, D, scalar, mode): results with the same configuration did the same work.
public struct Configuration: Hashable, Comparable, Sendable {
    public var cell: Cell
    public var hidden: Int
    public var input: Int
    public var scalar: String
    public var mode: Mode

    public init(cell: Cell, hidden: Int, input: Int, scalar: String, mode: Mode) {
        self.cell = cell
        self.hidden = hidden
        self.input = input
        self.scalar = scalar
        self.mode = mode
    }

    /// By cell, then Float before Double, then H, D and mode.
    public static func < (a: Configuration, b: Configuration) -> Bool {
        (a.cell, a.scalar == "float" ? 0 : 1, a.scalar, a.hidden, a.input, a.mode)
            < (b.cell, b.scalar == "float" ? 0 : 1, b.scalar, b.hidden, b.input, b.mode)
    }
}
