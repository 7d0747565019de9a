import Foundation

/// Median, minimum and maximum of repeated timings, in seconds per unit of work.
struct Timing: Codable {
    var median: Double
    var min: Double
    var max: Double

    /// Times `body` `repetitions` times after `warmup` untimed runs; each run does `units` units of work.
    static func measure(repetitions: Int, warmup: Int = 2, units: Double, _ body: () -> Void) -> Timing {
        for _ in 0..<warmup { body() }
        var samples: [Double] = []
        for _ in 0..<repetitions {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9 / units)
        }
        samples.sort()
        return Timing(median: samples[samples.count / 2], min: samples[0], max: samples[samples.count - 1])
    }
}

/// Keeps results alive so the optimiser cannot drop the work that produced them.
nonisolated(unsafe) var sink: Double = 0
