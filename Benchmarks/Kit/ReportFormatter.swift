/// The human-readable views of a report: header, result table, comparisons, targets.
public struct ReportFormatter: Sendable {
    public var report: BenchmarkReport
    /// A PyTorch report to compare with, if any.
    public var peer: BenchmarkReport?
    public var style: TextTable.Style

    public init(report: BenchmarkReport, peer: BenchmarkReport? = nil, style: TextTable.Style = .text) {
        self.report = report
        self.peer = peer
        self.style = style
    }

    /// Date, CPU, build, workload and the measured peaks.
    public func header() -> String {
        let b = report.build
        var lines = ["CellForge benchmarks — \(report.date), \(report.machine.cpu) (\(report.machine.cores) cores; \(report.machine.cpuFlags.joined(separator: " ")))"]
        var build = "\(b.compiler), \(b.configuration)"
        if let fma = b.cellforgeFMA { build += fma ? ", CELLFORGE_FMA defined" : ", CELLFORGE_FMA not defined" }
        build += ", target CPU \(b.targetCPU ?? "default (baseline x86-64)")"
        if let flags = b.flags, !flags.isEmpty { build += " [\(flags.joined(separator: " "))]" }
        lines.append("build: \(build)")
        let s = report.settings
        lines.append("workload: N = \(s.sequences) sequences × T = \(s.length) steps; "
                     + (s.referenceSequences.map { "reference on \($0) sequences; " } ?? "no reference; ")
                     + "\(s.long ? "long" : "standard") repetitions (≥ \(s.repetitions.minimum), median [min–max])"
                     + ((s.bufferOffset ?? 0) != 0 ? "; buffers \(s.bufferOffset!) bytes past a 64-byte boundary" : ""))
        for p in report.peaks {
            lines.append("peak: single-core \(p.fused ? "FMA" : "multiply+add") peak, SIMD\(p.lanes)<\(p.scalar.capitalized)> (\(p.bits)-bit, \(p.chains) chains): "
                         + "\(Units.range(p.gflops)) GFLOP/s" + (p.cpuShare.map { ", on CPU \(Self.share($0))" } ?? ""))
        }
        for note in b.notes { lines.append("note: \(note)") }
        return lines.joined(separator: "\n")
    }

    /// One row per kernel, mode and runner, with the reference and the speed-up on the row
    /// that is CellForge's one-core figure (`Comparison.bestSingleWorker`).
    public func resultTable() -> String {
        var t = TextTable([.init("kernel", .left), .init("mode", .left), .init("runner", .left), .init("ns/step [min–max]"), .init("on CPU"), .init("steps/s"),
                           .init("GFLOP/s"), .init("% peak"), .init("% 256-bit peak"), .init("reference ns/step"), .init("vs reference")])
        let speedups = Dictionary(Comparison.speedups(report.results).map { ($0.kernel.configuration, $0) }) { a, _ in a }
        let own = report.results.filter { $0.implementation == "cellforge" }
            .sorted { ($0.configuration, $0.threads, $0.runner) < ($1.configuration, $1.threads, $1.runner) }
        for r in own {
            let s = speedups[r.configuration].flatMap { $0.kernel == r ? $0 : nil }
            t.add([r.kernel + (r.threads > 1 ? " ×\(r.threads)" : ""), r.mode.rawValue, r.runner,
                   Units.range(r.secondsPerStep, Units.nanoseconds), r.cpuShare.map { Self.share($0, threads: r.threads) } ?? "—", Units.si(r.stepsPerSecond.median),
                   Units.significant(r.gflops.median), r.percentOfPeak.map { Units.significant($0.median) + "%" } ?? "—",
                   (r.percentOfPeak256 ?? (r.vectorBits == 256 ? r.percentOfPeak : nil)).map { Units.significant($0.median) + "%" } ?? "—",
                   s.map { Units.nanoseconds($0.reference.secondsPerStep.median) } ?? "—", s.map { Units.ratio($0.ratio) } ?? "—"])
        }
        return t.render(style)
    }

    /// "97%", marked "58%!" below 90% on one thread: it was descheduled, the median is inflated.
    /// (With n threads the share is CPU time / (wall × n), which also measures utilisation.)
    static func share(_ s: Double, threads: Int = 1) -> String {
        "\(Int((s * 100).rounded()))%" + (s < 0.9 && threads == 1 ? "!" : "")
    }

    /// One row per kernel (each vector width its own row): per-block latency (one call of T
    /// steps), per-sample streaming latency (T calls of one step) and their ratio, forward and
    /// training throughput, % of peak, and the training speed-ups over the reference and
    /// (with a peer) PyTorch.
    public func summaryTable() -> String {
        struct Row: Hashable { var shape: Configuration; var vectorBits: Int? }
        var rows: [Row: [Mode: BenchmarkResult]] = [:]
        for r in Comparison.bestSingleWorkerPerKernel(report.results) {
            var shape = r.configuration
            shape.mode = .latency
            rows[Row(shape: shape, vectorBits: r.vectorBits), default: [:]][r.mode] = r
        }
        var reference: [Configuration: BenchmarkResult] = [:]
        for r in report.results where r.implementation == "reference" && r.threads == 1 { reference[r.configuration] = r }
        var peerResults: [Configuration: [Int: BenchmarkResult]] = [:]
        for r in peer?.results ?? [] where r.implementation == "pytorch" { peerResults[r.configuration, default: [:]][r.threads] = r }
        let threads = peer.map { Array(Set($0.results.map(\.threads))).sorted() } ?? []
        var columns: [TextTable.Column] = [.init("kernel", .left), .init("latency ns/step (T per call)"),
                                           .init("streaming ns/step (1 per call)"), .init("streaming ÷ latency"), .init("forward steps/s"),
                                           .init("training steps/s"), .init("training GFLOP/s"), .init("% of peak"),
                                           .init("training vs reference")]
        if peer != nil {
            columns.append(.init("forward vs PyTorch 1T"))
            for n in threads { columns.append(.init("training vs PyTorch \(n)T")) }
        }
        /// Other's median time over this one's: above 1, this kernel is faster.
        func speedup(_ other: BenchmarkResult?, _ mine: BenchmarkResult?) -> String {
            guard let other, let mine else { return "—" }
            return Units.ratio(other.secondsPerStep.median / mine.secondsPerStep.median)
        }
        var t = TextTable(columns)
        for (row, modes) in rows.sorted(by: { ($0.key.shape, $0.key.vectorBits ?? 0) < ($1.key.shape, $1.key.vectorBits ?? 0) }) {
            var training = row.shape
            training.mode = .training
            var forward = row.shape
            forward.mode = .forward
            let block: Double? = modes[.latency]?.secondsPerStep.median
            let perSample: Double? = modes[.streaming]?.secondsPerStep.median
            var streaming: [String] = [block.map(Units.nanoseconds) ?? "—", perSample.map(Units.nanoseconds) ?? "—", "—"]
            if let block, let perSample { streaming[2] = Units.ratio(perSample / block) }
            var cells: [String] = [modes.values.first!.kernel] + streaming
            cells += [modes[.forward].map { Units.si($0.stepsPerSecond.median) } ?? "—",
                      modes[.training].map { Units.si($0.stepsPerSecond.median) } ?? "—",
                      modes[.training].map { Units.significant($0.gflops.median) } ?? "—",
                      modes[.training]?.percentOfPeak.map { Units.significant($0.median) + "%" } ?? "—",
                      speedup(reference[training], modes[.training])]
            if peer != nil {
                cells.append(speedup(peerResults[forward]?[1], modes[.forward]))
                for n in threads { cells.append(speedup(peerResults[training]?[n], modes[.training])) }
            }
            t.add(cells)
        }
        return t.render(style)
    }

    /// Worker scaling (empty until a multi-worker runner reports).
    public func scalingTable() -> String? {
        let rows = Comparison.scaling(report.results)
        guard !rows.isEmpty else { return nil }
        var t = TextTable([.init("kernel", .left), .init("mode", .left), .init("runner", .left), .init("1 worker steps/s"),
                           .init("workers"), .init("steps/s"), .init("scaling")])
        for r in rows {
            t.add([r.single.kernel, r.single.mode.rawValue, r.single.runner, Units.si(r.single.stepsPerSecond.median),
                   String(r.parallel.threads), Units.si(r.parallel.stepsPerSecond.median), Units.ratio(r.ratio)])
        }
        return t.render(style)
    }

    /// CellForge (one core) beside the peer at each thread count, as steps/s and ratios.
    public func peerTable() -> String? {
        guard let peer else { return nil }
        // Configurations the peer measured (CellForge-only ones are in the result table).
        let rows = Comparison.peerRows(cellforge: report.results, peer: peer.results).filter { !$0.peer.isEmpty }
        guard !rows.isEmpty else { return nil }
        let threads = Array(Set(peer.results.map(\.threads))).sorted()
        var columns: [TextTable.Column] = [.init("cell", .left), .init("mode", .left), .init("CellForge steps/s"), .init("% peak")]
        for n in threads { columns.append(.init("PyTorch \(n)T steps/s")) }
        if let first = threads.first { columns.append(.init("PyTorch \(first)T % peak")) }
        for n in threads { columns.append(.init("CellForge ÷ \(n)T")) }
        columns.append(.init("PyTorch path", .left))
        var t = TextTable(columns)
        for row in rows {
            let c = row.configuration
            var cells = ["\(c.cell.displayName) H\(c.hidden) D\(c.input)" + (c.scalar == "float" ? "" : " \(c.scalar)"), c.mode.rawValue,
                         row.cellforge.map { Units.si($0.stepsPerSecond.median) } ?? "—",
                         row.cellforge?.percentOfPeak.map { Units.significant($0.median) + "%" } ?? "—"]
            for n in threads {
                cells.append(row.peer[n].map { Units.si($0.stepsPerSecond.median) + (($0.cpuShare ?? 1) < 0.9 ? "!" : "") } ?? "—")
            }
            if let first = threads.first {
                let pct = row.peer[first].flatMap { p in report.peak(for: p.scalar).map { p.gflops.median / $0.gflops.median * 100 } }
                cells.append(pct.map { Units.significant($0) + "%" } ?? "—")
            }
            for n in threads { cells.append(row.ratio(threads: n).map(Units.ratio) ?? "—") }
            cells.append(Set(row.peer.values.map(\.runner)).sorted().joined(separator: ", "))
            t.add(cells)
        }
        return t.render(style)
    }

    /// The peer's build facts in one line.
    public func peerHeader() -> String? {
        guard let peer else { return nil }
        let b = peer.build
        var parts = ["PyTorch \(b.torchVersion ?? "?")", b.compiler, "\(peer.date)", peer.machine.cpu]
        if let a = b.mkldnnAvailable { parts.append("oneDNN available: \(a)") }
        if let e = b.mkldnnEnabled { parts.append("oneDNN enabled: \(e)") }
        if let cap = b.torchCPUCapability { parts.append("CPU capability \(cap)") }
        var line = "peer: " + parts.joined(separator: ", ")
        let paths = Cell.allCases.compactMap { cell -> String? in
            let runners = Set(peer.results.filter { $0.cell == cell }.map(\.runner))
            return runners.isEmpty ? nil : "\(cell.displayName) \(runners.sorted().joined(separator: "/"))"
        }
        line += "\npeer: CellForge runs on 1 core; PyTorch with nT = torch.set_num_threads(n); path by cell: " + paths.joined(separator: ", ")
        // Per-configuration path notes are in the peer's JSON; print the others.
        for note in b.notes where !note.contains(" path (") { line += "\npeer note: \(note)" }
        if peer.machine.cpu != report.machine.cpu {
            line += "\nwarning: the PyTorch run was on a different CPU (\(peer.machine.cpu)); ratios compare machines too"
        }
        return line
    }

    /// Every issue target: met, missed, or not measured in these runs.
    public func targetTable() -> String {
        var t = TextTable([.init("target", .left), .init("measured"), .init("status", .left)])
        for target in Target.issueTargets {
            let o = target.evaluate(cellforge: report.results, peer: peer?.results ?? [],
                                    fmaPeak: report.peak(for: "float")?.fused ?? false)
            t.add([target.name, o.measured ?? "—", o.met.map { $0 ? "met" : "missed" } ?? (o.measured == nil ? "not measured" : "not applicable")])
        }
        return t.render(style)
    }

    /// Everything, as the benchmark prints it.
    public func render() -> String {
        var table = resultTable()
        if report.results.contains(where: { ($0.cpuShare ?? 1) < 0.9 && $0.threads == 1 }) {
            table += "\n! on CPU below 90%: the benchmark was descheduled (other load on the machine); that median is inflated"
        }
        var parts = [header(), table, "summary (one core; % of peak and ratios for training)\n" + summaryTable()]
        if let s = scalingTable() { parts.append("worker scaling\n" + s) }
        if let h = peerHeader(), var p = peerTable() {
            if peer?.results.contains(where: { ($0.cpuShare ?? 1) < 0.9 }) == true {
                p += "\n! the PyTorch threads were on a CPU less than 90% of the time (other load, or idle threads): treat with care"
            }
            parts.append(h + "\n" + p)
        }
        parts.append("targets\n" + targetTable())
        return parts.joined(separator: "\n\n") + "\n"
    }
}
