import BenchmarkKit
import Foundation

// Throughput benchmarks for the generated kernels; see README, "Benchmarks".
//   swift run -c release -Xswiftc -target-cpu -Xswiftc native -Xswiftc -DCELLFORGE_FMA Benchmarks [options]

func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data("Benchmarks: \(message)\n".utf8))
    exit(status)
}

func load(_ path: String) -> BenchmarkReport {
    do {
        return try BenchmarkReport.decode(Data(contentsOf: URL(fileURLWithPath: path)))
    } catch let error as DecodingError {
        fail("cannot read \(path): not a benchmark JSON (\(error))", status: 1)
    } catch let error as SchemaError {
        fail("cannot read \(path): \(error)", status: 1)
    } catch {
        fail("cannot read \(path): \(error.localizedDescription)", status: 1)
    }
}

func write(_ data: Data, to path: String) {
    do {
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        fail("cannot write \(path): \(error.localizedDescription)", status: 1)
    }
}

let options: Options
do {
    options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    fail("\(error)", status: 2)
}
if options.help {
    print(Options.usage)
    exit(0)
}
if options.models {
    ModelBenchmark(options: options).run()
    exit(0)
}
if options.runtime {
    RuntimeBenchmark(options: options).run()
    exit(0)
}
let selected = kernelCatalog.filter {
    options.selects(names: [$0.typeName, $0.displayName], cell: $0.cell, hidden: $0.hidden, input: $0.input, scalar: $0.scalar,
                    vectorBits: $0.vectorBits)
}
if options.list {
    // The type name, then the registry that holds the kernel.
    for k in selected { print("\(k.typeName) \(k.registry)") }
    exit(0)
}
let peer = options.compare.map(load)
if let peer, peer.producer != "pytorch" {
    fail("\(options.compare!) was written by \(peer.producer), not by Benchmarks/peers/torch_lstm.py (use it with --from)", status: 2)
}

let report: BenchmarkReport
if let from = options.from {
    report = load(from)
    guard report.producer == "cellforge" else {
        fail("\(from) was written by \(report.producer), not by this benchmark (use it with --compare)", status: 2)
    }
} else {
    guard !selected.isEmpty else { fail("no kernel matches the selection (see --list)", status: 2) }
    #if DEBUG
    FileHandle.standardError.write(Data("Benchmarks: warning: debug build; SIMD code is tens of times slower (use -c release)\n".utf8))
    #endif
    let progress = Progress(enabled: !options.quiet)
    progress.show("FMA peak")
    let peaks = FMAPeak.measure(Stopwatch(policy: options.repetitions))
    let suite = Suite(options: options, peaks: peaks, progress: progress)
    var results: [BenchmarkResult] = []
    for (i, entry) in selected.enumerated() {
        suite.label = "[\(i + 1)/\(selected.count)] \(entry.typeName):"
        do {
            results += try entry.run(suite)
        } catch {
            progress.clear()
            fail("\(entry.typeName): \(error)", status: 1)
        }
    }
    let seconds = progress.elapsed
    progress.clear()
    var build = Environment.build(peaks: peaks, results: results)
    build.notes.append("measured in \(Units.significant(seconds)) s")
    report = BenchmarkReport(
        producer: "cellforge", date: BenchmarkReport.timestamp(), machine: Environment.machine(), build: build,
        settings: Settings(sequences: options.sequences, length: options.length,
                           referenceSequences: options.reference ? min(options.referenceSampleSize, options.sequences) : nil,
                           repetitions: options.repetitions, long: options.long, threads: [1], bufferOffset: options.misalign),
        peaks: peaks, results: results)
}

print(ReportFormatter(report: report, peer: peer, style: options.markdown ? .markdown : .text).render(), terminator: "")
if let path = options.json {
    do {
        write(try report.jsonData(), to: path)
    } catch {
        fail("cannot encode the report: \(error)", status: 1)
    }
}
if let path = options.svg {
    write(Data(ThroughputPlot.make(report: report, peer: peer).render().utf8), to: path)
}
