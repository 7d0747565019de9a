/// The benchmark's command line.
public struct Options: Equatable, Sendable {
    /// Cells to run (nil: all).
    public var cells: Set<Cell>?
    public var hidden: Int?
    public var input: Int?
    /// "float" or "double" (nil: both).
    public var scalar: String?
    /// Vector widths in bits to run (nil: every width).
    public var vectorBits: Set<Int>?
    /// Substrings; a kernel runs if its name contains any of them (case-insensitive).
    public var only: [String] = []
    public var modes: [Mode] = Mode.allCases
    public var reference = true
    public var long = false
    /// N and T of the throughput workload.
    public var sequences = 256
    public var length = 64
    /// Sequences the reference runs (nil: 8, or 32 with --long).
    public var referenceSequences: Int?
    /// Bytes past a 64-byte boundary where the benchmark's buffers start (a multiple of 4, < 64).
    public var misalign = 0
    public var json: String?
    public var svg: String?
    public var compare: String?
    public var from: String?
    public var markdown = false
    public var quiet = false
    public var list = false
    public var help = false
    /// Measure the models (2×8 LSTM + Dense training, LSTM(1→20) + Dense streaming) instead of kernels.
    public var models = false
    /// Compare the run-time kernel with the selected generated kernels instead of the full suite.
    public var runtime = false

    public init() {}

    public var repetitions: RepetitionPolicy { long ? .long : .standard }
    public var referenceSampleSize: Int { referenceSequences ?? (long ? 32 : 8) }

    public static let usage = """
    usage: swift run -c release [flags] Benchmarks [options]
      (recommended flags: -Xswiftc -target-cpu -Xswiftc native -Xswiftc -DCELLFORGE_FMA)

    selection (every committed kernel by default: the registries GeneratedKernels,
    TestKernels and BenchmarkKernels; filters combine):
      --cell lstm|gru|rnn[,…]   cells to run
      --hidden H, --input D     only kernels of this hidden / input size
      --scalar float|double     only kernels of this scalar type
      --vector-bits 128|256|512[,…]   only kernels of these vector widths
      --only SUBSTRING          only kernels whose name contains it ("H8 D8", "LSTM_H64"); repeatable
      --mode latency|streaming|forward|training[,…]   modes to measure (default all):
                                latency: one sequence, one call of T steps (per-block);
                                streaming: the same, one call per sample (T calls of 1)
      --no-reference            skip the reference cells (no speed-up column)
      --list                    list the kernels and exit
      --models                  measure models instead of kernels, on one core: training of
                                LSTM(1→8) → LSTM(8→8) → Dense(8→1) and per-sample streaming
                                of LSTM(1→20) → Dense(20→1); with --compare, the JSON that
                                Benchmarks/peers/torch_model.py printed
      --runtime                 compare RuntimeKernel (sizes read at run time) with each
                                selected generated kernel (default: Float, 256 bits, H 8,
                                16, 20, 32, 64 with D 1 or D = H), one core: per-sample
                                streaming, N-sequence inference and training

    workload and repetitions:
      --sequences N             sequences per batch (default 256)
      --length T                steps per sequence (default 64)
      --reference-sequences N   sequences the reference runs (default 8; 32 with --long)
      --long                    more and longer repetitions (a few minutes)
      --misalign BYTES          start every buffer BYTES past a 64-byte boundary (default 0:
                                aligned; 16 is what a Swift Array may give you)

    output:
      --json FILE               every figure and the build configuration, as JSON
      --svg FILE                plot of throughput against H for each cell and mode
      --compare FILE            a PyTorch JSON (Benchmarks/peers/torch_lstm.py): print ratios side by side
      --from FILE               read a CellForge JSON instead of measuring (tables, --svg, --compare)
      --markdown                tables as Markdown
      --quiet                   no progress line on stderr
      --help
    """

    public static func parse(_ arguments: [String]) throws -> Options {
        var o = Options()
        var i = 0
        func value(_ name: String) throws -> String {
            i += 1
            guard i < arguments.count, !arguments[i].hasPrefix("--") else { throw OptionsError.missingValue(name) }
            return arguments[i]
        }
        func positive(_ name: String) throws -> Int {
            let v = try value(name)
            guard let n = Int(v), n >= 1 else { throw OptionsError.badValue(name, v, "a positive integer") }
            return n
        }
        while i < arguments.count {
            let a = arguments[i]
            switch a {
            case "--cell":
                let v = try value(a)
                var cells = o.cells ?? []
                for name in v.split(separator: ",") {
                    guard let c = Cell(rawValue: name.lowercased()) else { throw OptionsError.badValue(a, String(name), "lstm, gru or rnn") }
                    cells.insert(c)
                }
                o.cells = cells
            case "--hidden": o.hidden = try positive(a)
            case "--input": o.input = try positive(a)
            case "--scalar":
                let v = try value(a).lowercased()
                guard v == "float" || v == "double" else { throw OptionsError.badValue(a, v, "float or double") }
                o.scalar = v
            case "--vector-bits":
                let v = try value(a)
                var widths = o.vectorBits ?? []
                for bits in v.split(separator: ",") {
                    guard let n = Int(bits), [128, 256, 512].contains(n) else { throw OptionsError.badValue(a, String(bits), "128, 256 or 512") }
                    widths.insert(n)
                }
                o.vectorBits = widths
            case "--only": o.only.append(try value(a))
            case "--mode":
                let v = try value(a)
                o.modes = try v.split(separator: ",").map { name in
                    guard let m = Mode(rawValue: name.lowercased()) else {
                        throw OptionsError.badValue(a, String(name), "latency, streaming, forward or training")
                    }
                    return m
                }
            case "--no-reference": o.reference = false
            case "--long": o.long = true
            case "--sequences": o.sequences = try positive(a)
            case "--length": o.length = try positive(a)
            case "--reference-sequences": o.referenceSequences = try positive(a)
            case "--misalign":
                let v = try value(a)
                guard let n = Int(v), n >= 0, n < 64, n % 4 == 0 else { throw OptionsError.badValue(a, v, "a multiple of 4 below 64") }
                o.misalign = n
            case "--json": o.json = try value(a)
            case "--svg": o.svg = try value(a)
            case "--compare": o.compare = try value(a)
            case "--from": o.from = try value(a)
            case "--markdown": o.markdown = true
            case "--quiet": o.quiet = true
            case "--list": o.list = true
            case "--models": o.models = true
            case "--runtime": o.runtime = true
            case "--help", "-h": o.help = true
            default: throw OptionsError.unknown(a)
            }
            i += 1
        }
        return o
    }

    /// Whether a kernel passes the filters. `names` are its display and type names; `vectorBits`
    /// its width (nil: not filtered by width).
    public func selects(names: [String], cell: Cell, hidden: Int, input: Int, scalar: String, vectorBits: Int? = nil) -> Bool {
        if let cells, !cells.contains(cell) { return false }
        if let widths = self.vectorBits, let bits = vectorBits, !widths.contains(bits) { return false }
        if let h = self.hidden, h != hidden { return false }
        if let d = self.input, d != input { return false }
        if let s = self.scalar, s != scalar { return false }
        if !only.isEmpty {
            let lower = names.map { $0.lowercased() }
            return only.contains { o in lower.contains { $0.contains(o.lowercased()) } }
        }
        return true
    }
}

public enum OptionsError: Error, Equatable, CustomStringConvertible {
    case unknown(String)
    case missingValue(String)
    case badValue(String, String, String)

    public var description: String {
        switch self {
        case .unknown(let a): "unknown option \(a) (see --help)"
        case .missingValue(let a): "\(a) needs a value"
        case .badValue(let a, let v, let expected): "\(a) \(v): expected \(expected)"
        }
    }
}
