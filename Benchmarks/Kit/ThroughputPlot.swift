/// The `--svg` figure: throughput against H for each cell and mode, Float kernels.
///
/// Two panels share the series: sequence-steps per second, and GFLOP/s with the
/// run's FMA peak as a line. Colour is the cell, dash the mode (solid forward,
/// dashed training), marker the implementation (CellForge, reference, PyTorch).
public enum ThroughputPlot {
    static let cellColors: [Cell: String] = [.lstm: "#1f5fa8", .gru: "#d9730d", .rnn: "#2e8b57"]
    static let modeDash: [Mode: String?] = [.forward: nil, .training: "7 4"]
    static let implementations: [(id: String, label: String, marker: SVGPlot.Marker, width: Double)] = [
        ("cellforge", "CellForge (1 core)", .circle, 2.2), ("reference", "reference cell", .cross, 1.2),
        ("pytorch", "PyTorch (1 thread)", .square, 1.4),
    ]

    public static func make(report: BenchmarkReport, peer: BenchmarkReport? = nil) -> SVGPlot {
        let results = (report.results + (peer?.results ?? [])).filter {
            $0.scalar == "float" && $0.threads == 1 && ($0.mode == .forward || $0.mode == .training)
        }
        var stepSeries: [SVGPlot.Series] = [], flopSeries: [SVGPlot.Series] = []
        for impl in implementations {
            for cell in Cell.allCases {
                for mode in [Mode.forward, .training] {
                    let rs = results.filter { $0.implementation == impl.id && $0.cell == cell && $0.mode == mode }
                    guard !rs.isEmpty else { continue }
                    let style = SVGPlot.Style(color: cellColors[cell]!, dash: modeDash[mode]!, marker: impl.marker, width: impl.width)
                    let name = "\(impl.label), \(cell.displayName) \(mode.rawValue)"
                    stepSeries.append(SVGPlot.Series(name: name, style: style,
                                                     points: rs.map { (Double($0.hidden), $0.stepsPerSecond.median) }))
                    flopSeries.append(SVGPlot.Series(name: name, style: style,
                                                     points: rs.map { (Double($0.hidden), $0.gflops.median) }))
                }
            }
        }
        let peakLines = report.peak(for: "float").map {
            [SVGPlot.Line(y: $0.gflops.median, label: "single-core \($0.fused ? "FMA" : "mul+add") peak, SIMD\($0.lanes)<Float>: \(Units.significant($0.gflops.median)) GFLOP/s")]
        } ?? []
        let presentCells = Cell.allCases.filter { c in results.contains { $0.cell == c } }
        let presentImpls = implementations.filter { i in results.contains { $0.implementation == i.id } }
        let legend = [
            SVGPlot.LegendGroup(title: "cell", entries: presentCells.map { (label: $0.displayName, style: SVGPlot.Style(color: cellColors[$0]!, marker: .none)) }),
            SVGPlot.LegendGroup(title: "mode (N = \(report.settings.sequences), T = \(report.settings.length))", entries: [
                (label: "forward (inference)", style: SVGPlot.Style(color: "#444444", marker: .none)),
                (label: "training (fwd + bwd + SGD)", style: SVGPlot.Style(color: "#444444", dash: modeDash[.training]!, marker: .none)),
            ]),
            SVGPlot.LegendGroup(title: "implementation", entries: presentImpls.map {
                (label: $0.label, style: SVGPlot.Style(color: "#444444", marker: $0.marker, width: $0.width))
            }),
        ]
        var shapes: [String] = []
        for cell in Cell.allCases {
            let hd = Set(results.filter { $0.cell == cell && $0.implementation == "cellforge" }.map { "H\($0.hidden) D\($0.input)" })
            if !hd.isEmpty { shapes.append("\(cell.displayName) " + hd.sorted { $0.count < $1.count || ($0.count == $1.count && $0 < $1) }.joined(separator: ", ")) }
        }
        var subtitle = "\(report.machine.cpu), \(report.build.compiler)"
        if let cpu = report.build.targetCPU { subtitle += ", -target-cpu \(cpu)" }
        if report.build.cellforgeFMA == true { subtitle += ", CELLFORGE_FMA" }
        subtitle += ", \(report.date.prefix(10))"
        if let peer { subtitle += "; PyTorch \(peer.build.torchVersion ?? "")" }
        return SVGPlot(
            title: "CellForge throughput against hidden size (Float, one core)",
            subtitle: subtitle,
            panels: [
                SVGPlot.Panel(title: "sequence-steps per second", xLabel: "hidden size H (log scale)",
                              yLabel: "sequence-steps / s (log scale)", series: stepSeries),
                SVGPlot.Panel(title: "GFLOP/s (model flops)", xLabel: "hidden size H (log scale)",
                              yLabel: "GFLOP/s (log scale)", series: flopSeries, lines: peakLines),
            ],
            legend: legend,
            footnote: "Kernels: " + shapes.joined(separator: "; ") + ". Flops per step: forward 2·G·H·(D+H), training 3× that.")
    }
}
