@testable import BenchmarkKit
import Testing

/// CellForge's one-core figure is the fastest single-worker runner, used by every comparison.
@Suite struct BestSingleWorkerTests {
    @Test func fastestSingleWorkerRunnerRepresentsCellForge() {
        let sequential = Fixtures.result("cellforge", .lstm, 8, 8, .training, ns: 110)
        let driver = Fixtures.result("cellforge", .lstm, 8, 8, .training, ns: 90, runner: "batchdriver")
        let twoWorkers = Fixtures.result("cellforge", .lstm, 8, 8, .training, ns: 50, threads: 2, runner: "batchdriver")
        let reference = Fixtures.result("reference", .lstm, 8, 8, .training, ns: 2700)
        let torch = Fixtures.result("pytorch", .lstm, 8, 8, .training, ns: 270, runner: "nn.LSTM")
        let results = [sequential, driver, twoWorkers, reference]

        #expect(Comparison.bestSingleWorker(results) == [driver])
        #expect(Comparison.speedups(results).map { abs($0.ratio - 30) < 1e-9 } == [true])
        let row = Comparison.peerRows(cellforge: results, peer: [torch]).first!
        #expect(row.cellforge == driver && abs(row.ratio(threads: 1)! - 3) < 1e-9)
        let target = Target(name: "t", configuration: driver.configuration, kind: .minRatioOverPeer(2.99, threads: 1))
        #expect(target.evaluate(cellforge: results, peer: [torch]).met == true)
    }
}
