import Foundation
import Testing
@testable import BenchmarkKit

@Suite struct FlopModelTests {
    @Test func lstmFollowsTheDesignFormulas() {
        // forward 8·H·(D+H), training 24·H·(D+H)
        #expect(FlopModel.perStep(.lstm, hidden: 8, input: 8, mode: .forward) == 8 * 8 * 16)
        #expect(FlopModel.perStep(.lstm, hidden: 8, input: 8, mode: .training) == 24 * 8 * 16)
        #expect(FlopModel.perStep(.lstm, hidden: 64, input: 64, mode: .training) == 24 * 64 * 128)
        #expect(FlopModel.perStep(.lstm, hidden: 16, input: 1, mode: .latency) == 8 * 16 * 17)
    }

    @Test func otherCellsScaleByGateCount() {
        for (h, d) in [(1, 1), (3, 2), (5, 3), (8, 8), (32, 32)] {
            let lstm = FlopModel.forward(.lstm, hidden: h, input: d)
            #expect(FlopModel.forward(.gru, hidden: h, input: d) == lstm * 3 / 4)
            #expect(FlopModel.forward(.rnn, hidden: h, input: d) == lstm / 4)
            #expect(FlopModel.forward(.gru, hidden: h, input: d) == 2 * 3 * Double(h * (d + h)))
            for cell in Cell.allCases {
                #expect(FlopModel.perStep(cell, hidden: h, input: d, mode: .training) == 3 * FlopModel.forward(cell, hidden: h, input: d))
            }
        }
    }
}

@Suite struct StatsTests {
    @Test func medianMinMax() {
        let odd = Stats(samples: [5, 1, 3])
        #expect(odd == Stats(median: 3, min: 1, max: 5))
        let even = Stats(samples: [4, 1, 2, 10])
        #expect(even == Stats(median: 3, min: 1, max: 10))
        #expect(Stats(samples: [7]) == Stats(median: 7, min: 7, max: 7))
        #expect(abs(even.spread - 9) < 1e-12)
    }

    @Test func reciprocalSwapsMinAndMax() {
        let t = Stats(median: 2, min: 1, max: 4)
        #expect(t.reciprocal() == Stats(median: 0.5, min: 0.25, max: 1))
        #expect(t.reciprocal(times: 8) == Stats(median: 4, min: 2, max: 8))
        #expect(t.scaled(by: 3) == Stats(median: 6, min: 3, max: 12))
    }

    @Test func repetitionPolicy() {
        let p = RepetitionPolicy(warmup: 2, minimum: 5, maximum: 9, targetSeconds: 1, sampleSeconds: 0.01)
        #expect(p.innerIterations(singleRunSeconds: 0.001) == 10)
        #expect(p.innerIterations(singleRunSeconds: 0.003) == 4)      // ceil(3.33)
        #expect(p.innerIterations(singleRunSeconds: 0.5) == 1)
        #expect(p.innerIterations(singleRunSeconds: 0) == 1_000_000)
        #expect(p.shouldContinue(samples: 0, elapsed: 100))         // below the minimum
        #expect(p.shouldContinue(samples: 4, elapsed: 100))
        #expect(p.shouldContinue(samples: 5, elapsed: 0.5))         // time left
        #expect(!p.shouldContinue(samples: 5, elapsed: 1))
        #expect(!p.shouldContinue(samples: 9, elapsed: 0))          // the maximum
        let retry = RepetitionPolicy(warmup: 1, minimum: 1, maximum: 1, targetSeconds: 0, sampleSeconds: 0, attempts: 3)
        #expect(retry.shouldRetry(attempt: 1, cpuShare: 0.5))
        #expect(retry.shouldRetry(attempt: 2, cpuShare: 0.89))
        #expect(!retry.shouldRetry(attempt: 3, cpuShare: 0.5))      // out of attempts
        #expect(!retry.shouldRetry(attempt: 1, cpuShare: 0.95))     // on a CPU long enough
        #expect(!p.shouldRetry(attempt: 1, cpuShare: 0.1))          // one attempt by default
        #expect(RepetitionPolicy.long.minimum > RepetitionPolicy.standard.minimum)
        #expect(RepetitionPolicy.long.targetSeconds > RepetitionPolicy.standard.targetSeconds)
    }
}

@Suite struct UnitsTests {
    @Test func conversions() {
        let t = Stats(median: 1e-6, min: 0.5e-6, max: 2e-6)                      // seconds per step
        #expect(Units.stepsPerSecond(secondsPerStep: t) == Stats(median: 1e6, min: 0.5e6, max: 2e6))
        let g = Units.gflops(secondsPerStep: t, flopsPerStep: 1024)
        #expect(abs(g.median - 1.024) < 1e-12 && abs(g.min - 0.512) < 1e-12 && abs(g.max - 2.048) < 1e-12)
        let pct = Units.percent(of: 2.048, g)
        #expect(abs(pct.median - 50) < 1e-9 && abs(pct.max - 100) < 1e-9)
        // 3 runs of 256 × 64 steps in 0.49152 s: 10 µs per sequence-step.
        #expect(abs(Units.secondsPerStep(wallSeconds: 0.49152, runs: 3, sequences: 256, length: 64) - 1e-5) < 1e-18)
    }

    @Test func resultDerivesEveryFigure() {
        let r = Fixtures.result("cellforge", .lstm, 64, 64, .training, ns: 4000)
        #expect(r.flopsPerStep == 196_608)
        #expect(abs(r.stepsPerSecond.median - 250_000) < 1e-6)
        #expect(abs(r.gflops.median - 49.152) < 1e-9)
        #expect(abs(r.percentOfPeak!.median - 49.152) < 1e-9)            // peak 100 GFLOP/s
        #expect(r.gflops.min < r.gflops.median && r.gflops.median < r.gflops.max)
        #expect(Fixtures.result("pytorch", .lstm, 8, 8, .forward, ns: 1).percentOfPeak == nil)
    }

    @Test func formatting() {
        #expect(Units.si(1_234_567) == "1.23 M")
        #expect(Units.si(999.4) == "999")
        #expect(Units.si(45_600) == "45.6 k")
        #expect(Units.si(2.5e9) == "2.50 G")
        #expect(Units.si(.infinity) == "—")
        #expect(Units.significant(0.01234) == "0.0123")
        #expect(Units.significant(45.67) == "45.7")
        #expect(Units.significant(1234.4) == "1234")
        #expect(Units.nanoseconds(4.56e-8) == "45.6")
        #expect(Units.range(Stats(median: 45.6, min: 44.1, max: 48)) == "45.6 [44.1–48.0]")
        #expect(Units.ratio(3.456) == "3.46×")
        #expect(Units.ratio(34.56) == "34.6×")
        #expect(Units.ratio(345.6) == "346×")
        #expect(Units.ratio(0) == "—")
    }
}
