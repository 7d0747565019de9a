import BenchmarkKit
import Foundation

/// Times repeated runs of a piece of work under a `RepetitionPolicy`.
struct Stopwatch {
    let policy: RepetitionPolicy

    /// Seconds per unit of work: `body` does `units` units each call. Returns the
    /// statistics over samples, how many samples were taken, and the share of the
    /// sampling time this thread was on a CPU.
    func measure(units: Double, _ body: () -> Void) -> Measurement {
        var best = attempt(units: units, body)
        var n = 1
        while policy.shouldRetry(attempt: n, cpuShare: best.cpuShare) {
            let next = attempt(units: units, body)
            if next.cpuShare > best.cpuShare { best = next }
            n += 1
        }
        best.attempts = n
        return best
    }

    /// One measurement: warm-up, calibration and samples.
    func attempt(units: Double, _ body: () -> Void) -> Measurement {
        // The first untimed run is warm-up and calibration.
        var start = Self.now()
        body()
        let single = Self.now() - start
        for _ in 1..<policy.warmup { body() }
        let inner = policy.innerIterations(singleRunSeconds: single)
        var samples: [Double] = [], elapsed = 0.0
        let cpuStart = Self.threadCPUTime()
        while policy.shouldContinue(samples: samples.count, elapsed: elapsed) {
            start = Self.now()
            for _ in 0..<inner { body() }
            let seconds = Self.now() - start
            elapsed += seconds
            samples.append(seconds / (Double(inner) * units))
        }
        let share = elapsed > 0 ? (Self.threadCPUTime() - cpuStart) / elapsed : 1
        return Measurement(stats: Stats(samples: samples), samples: samples.count, cpuShare: min(1, share), attempts: 1)
    }

    /// Monotonic seconds.
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }

    /// CPU seconds the calling thread has used.
    static func threadCPUTime() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}

/// One measurement: seconds per unit of work.
struct Measurement {
    var stats: Stats
    var samples: Int
    var cpuShare: Double
    /// Measurements made (more than 1 when the first ones were descheduled).
    var attempts: Int
}

/// Keeps results alive so the optimiser cannot drop the work that produced them.
nonisolated(unsafe) var sink: Double = 0

/// One overwritten status line on stderr ("\r"), cleared at the end.
final class Progress {
    let enabled: Bool
    var width = 0
    let start = Stopwatch.now()

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ text: String) {
        guard enabled else { return }
        let line = String(format: "[%5.1f s] ", Stopwatch.now() - start) + text
        let padded = line.count < width ? line + String(repeating: " ", count: width - line.count) : line
        width = line.count
        FileHandle.standardError.write(Data(("\r" + padded).utf8))
    }

    func clear() {
        guard enabled, width > 0 else { return }
        FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: width) + "\r").utf8))
        width = 0
    }

    var elapsed: Double { Stopwatch.now() - start }
}
