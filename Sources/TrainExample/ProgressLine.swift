import CellForge
import Foundation

/// The progress `cellforge-train` prints: on a terminal a bar redrawn after every step, and
/// one line per epoch.
struct ProgressLine {
    let live: Bool

    init(quiet: Bool) { live = !quiet && isatty(STDOUT_FILENO) == 1 }

    func show(_ p: TrainingProgress) {
        guard p.epochEnded || live else { return }
        let width = 20, done = p.epochEnded ? width : p.step * width / max(p.stepsPerEpoch, 1)
        let bar = String(repeating: "#", count: done) + String(repeating: ".", count: width - done)
        var line = String(format: "epoch %3d/%d [", p.epoch, p.epochs) + bar + "] "
            + String(format: "loss %.5f", p.loss)
        if let v = p.validation { line += String(format: "  val %@ %.5f", p.metricName, v) }
        line += String(format: "  lr %.2e  %.3f s/epoch  %.2f Msteps/s  %.1f s (ETA %@)", p.learningRate, p.epochSeconds, p.rate / 1e6,
                       p.elapsed, Self.duration(p.remaining))
        if p.refusedSteps > 0 { line += "  \(p.refusedSteps) steps refused" }
        print((live ? "\r\u{1B}[K" : "") + line, terminator: p.epochEnded ? "\n" : "")
        fflush(nil)
    }

    /// "42 s", "3 min 05 s", "1 h 02 min".
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return String(format: "%d min %02d s", s / 60, s % 60) }
        return String(format: "%d h %02d min", s / 3600, s % 3600 / 60)
    }
}
