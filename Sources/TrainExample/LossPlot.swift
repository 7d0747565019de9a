import BenchmarkKit
import CellForge

/// The training and validation curves of a run as an SVG document.
enum LossPlot {
    static func svg(_ history: [EpochRecord], metricName: String, lossName: String, title: String) -> String {
        let training = SVGPlot.Series(name: "training \(lossName)", style: .init(color: "#2c7fb8", marker: .none),
                                      points: history.map { (Double($0.epoch), $0.loss) })
        let validation = SVGPlot.Series(name: "validation \(metricName)", style: .init(color: "#d95f0e", marker: .none),
                                        points: history.map { (Double($0.epoch), $0.metric) })
        let panel = SVGPlot.Panel(title: "loss per epoch", xLabel: "epoch (log scale)", yLabel: "\(metricName) (log scale)",
                                  series: [training, validation])
        let legend = SVGPlot.LegendGroup(title: "curves", entries: [(training.name, training.style), (validation.name, validation.style)])
        return SVGPlot(title: title, subtitle: "\(history.count) epochs", panels: [panel], legend: [legend]).render()
    }
}
