import Foundation
import Testing
@testable import BenchmarkKit

@Suite struct SchemaTests {
    @Test func roundTrip() throws {
        let report = Fixtures.report(Fixtures.cellforge)
        let data = try report.jsonData()
        #expect(try BenchmarkReport.decode(data) == report)
        let text = String(decoding: data, as: UTF8.self)
        for key in ["\"schema\" : \"cellforge-benchmarks/1\"", "\"secondsPerStep\"", "\"stepsPerSecond\"", "\"gflops\"",
                    "\"percentOfPeak\"", "\"flopsPerStep\"", "\"cellforgeFMA\" : true", "\"targetCPU\" : \"native\"",
                    "\"cpu\" : \"AMD EPYC\"", "\"mode\" : \"training\"", "\"cell\" : \"lstm\"", "\"peaks\""] {
            #expect(text.contains(key), "missing \(key)")
        }
    }

    /// A 512-bit kernel's share of the 256-bit peak: 40 GFLOP/s is 20% of a 200 GFLOP/s 512-bit
    /// peak and 40% of a 100 GFLOP/s 256-bit one; a 256-bit kernel carries only `percentOfPeak`.
    @Test func percentOfThe256BitPeak() throws {
        // LSTM H8 D8 forward: 8·8·16 = 1024 flops per step; 25.6 ns per step is 40 GFLOP/s.
        func result(bits: Int) -> BenchmarkResult {
            BenchmarkResult(kernel: "LSTM_H8_D8_Float_V\(bits)", implementation: "cellforge", runner: "sequential", cell: .lstm,
                            hidden: 8, input: 8, scalar: "float", mode: .forward, threads: 1, sequences: 256, length: 64,
                            repetitions: 5, secondsPerStep: Stats(median: 25.6e-9, min: 25.6e-9, max: 25.6e-9),
                            peakGflops: bits == 512 ? 200 : 100, vectorBits: bits, peak256Gflops: 100)
        }
        let wide = result(bits: 512)
        #expect(abs(wide.percentOfPeak!.median - 20) < 1e-9 && abs(wide.percentOfPeak256!.median - 40) < 1e-9)
        #expect(try BenchmarkReport.decode(Fixtures.report([wide]).jsonData()).results == [wide])
        #expect(result(bits: 256).percentOfPeak256 == nil)
    }

    /// What `peers/torch_lstm.py` writes: nulls, missing Swift-only keys, extra keys.
    @Test func decodesThePeerFormat() throws {
        let json = """
        {"schema": "cellforge-benchmarks/1", "producer": "pytorch", "date": "2026-11-21T07:00:00Z",
         "machine": {"cpu": "AMD EPYC", "cores": 2, "cpuFlags": ["avx2", "fma"], "os": "Linux-6"},
         "build": {"compiler": "Python 3.11.7", "configuration": "release", "torchVersion": "2.13.0+cpu",
                   "mkldnnAvailable": true, "mkldnnEnabled": true, "torchCPUCapability": "AVX2", "notes": [],
                   "cellforgeFMA": null, "extra": 1},
         "settings": {"sequences": 256, "length": 64, "referenceSequences": null, "long": false, "threads": [1, 2],
                      "repetitions": {"warmup": 2, "minimum": 5, "maximum": 25, "targetSeconds": 0.25, "sampleSeconds": 0.004}},
         "peaks": [],
         "results": [{"kernel": "torch.nn.LSTM", "implementation": "pytorch", "runner": "onednn", "cell": "lstm",
                      "hidden": 8, "input": 8, "scalar": "float", "mode": "training", "threads": 2, "sequences": 256,
                      "length": 64, "repetitions": 5, "flopsPerStep": 3072,
                      "secondsPerStep": {"median": 1e-7, "min": 9e-8, "max": 2e-7},
                      "stepsPerSecond": {"median": 1e7, "min": 5e6, "max": 1.1e7},
                      "gflops": {"median": 30.72, "min": 15.36, "max": 34.1}, "percentOfPeak": null, "path": "x"}]}
        """
        let r = try BenchmarkReport.decode(Data(json.utf8))
        #expect(r.producer == "pytorch" && r.build.torchVersion == "2.13.0+cpu" && r.build.cellforgeFMA == nil)
        #expect(r.results[0].configuration == Configuration(cell: .lstm, hidden: 8, input: 8, scalar: "float", mode: .training))
        #expect(r.results[0].percentOfPeak == nil && r.results[0].threads == 2)
    }

    @Test func rejectsOtherSchemas() throws {
        var report = Fixtures.report([])
        report.schema = "cellforge-benchmarks/0"
        let data = try report.jsonData()
        #expect(throws: SchemaError.unsupported("cellforge-benchmarks/0")) { try BenchmarkReport.decode(data) }
        #expect(throws: DecodingError.self) { try BenchmarkReport.decode(Data("{\"schema\": 1}".utf8)) }
    }

    @Test func timestampIsISO8601UTC() {
        #expect(BenchmarkReport.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
    }

    /// What a JSON file says its schema is, if anything.
    struct SchemaTag: Decodable { let schema: String? }

    /// The committed result files written by the Benchmarks executable (those naming a schema;
    /// peer scripts' summaries name none) decode, and their derived figures follow from the times.
    @Test func committedResultsAreConsistent() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Benchmarks/results")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".json") }
        var reports = 0
        for file in files {
            let data = try Data(contentsOf: dir.appendingPathComponent(file))
            guard try JSONDecoder().decode(SchemaTag.self, from: data).schema != nil else { continue }
            reports += 1
            let report = try BenchmarkReport.decode(data)
            #expect(!report.results.isEmpty, "\(file) has no results")
            for r in report.results {
                let flops = FlopModel.perStep(r.cell, hidden: r.hidden, input: r.input, mode: r.mode)
                #expect(r.flopsPerStep == flops, "\(file) \(r.kernel) \(r.mode): flops")
                #expect(abs(r.stepsPerSecond.median * r.secondsPerStep.median - 1) < 1e-6, "\(file) \(r.kernel): steps/s")
                #expect(abs(r.gflops.median / (flops * 1e-9 / r.secondsPerStep.median) - 1) < 1e-6, "\(file) \(r.kernel): GFLOP/s")
                #expect(r.secondsPerStep.min <= r.secondsPerStep.median && r.secondsPerStep.median <= r.secondsPerStep.max)
            }
        }
        #expect(reports >= 2, "the committed CellForge and PyTorch reports were found")
    }
}

@Suite struct ComparisonTests {
    @Test func speedupsAgainstTheReference() {
        let s = Comparison.speedups(Fixtures.cellforge)
        let byMode = Dictionary(uniqueKeysWithValues: s.filter { $0.kernel.hidden == 8 && $0.kernel.cell == .lstm && $0.kernel.scalar == "float" }
            .map { ($0.kernel.mode, $0.ratio) })
        #expect(abs(byMode[.forward]! - 25) < 1e-9)        // 1000 / 40
        #expect(abs(byMode[.training]! - 30) < 1e-9)       // 3000 / 100
        #expect(abs(byMode[.latency]! - 20) < 1e-9)        // against the reference's forward
        #expect(abs(byMode[.streaming]! - 1000.0 / 150) < 1e-9)  // also against the forward
        #expect(s.count == 4)                              // nothing for configurations without a reference
    }

    @Test func peerRowsJoinAndRatio() {
        let rows = Comparison.peerRows(cellforge: Fixtures.cellforge, peer: Fixtures.torch)
        let h8 = rows.first { $0.configuration == Configuration(cell: .lstm, hidden: 8, input: 8, scalar: "float", mode: .training) }!
        #expect(abs(h8.ratio(threads: 1)! - 4) < 1e-9)      // 400 / 100
        #expect(abs(h8.ratio(threads: 2)! - 2.5) < 1e-9)
        #expect(h8.ratio(threads: 4) == nil)
        let gru = rows.first { $0.configuration.cell == .gru && $0.configuration.hidden == 32 }!
        #expect(gru.cellforge == nil && gru.ratio(threads: 1) == nil)   // only the peer measured it
        #expect(rows == rows.sorted { $0.configuration < $1.configuration })
    }

    @Test func scalingPairsOneWorkerWithMost() {
        let results = [Fixtures.result("cellforge", .lstm, 8, 8, .training, ns: 100, runner: "batchdriver"),
                       Fixtures.result("cellforge", .lstm, 8, 8, .training, ns: 55, threads: 2, runner: "batchdriver"),
                       Fixtures.result("cellforge", .lstm, 8, 8, .training, ns: 90, runner: "sequential")]
        let s = Comparison.scaling(results)
        #expect(s.count == 1)
        #expect(abs(s[0].ratio - 100 / 55) < 1e-9 && s[0].parallel.threads == 2)
        #expect(Comparison.scaling(Fixtures.cellforge).isEmpty)
    }

    @Test func targets() {
        let outcomes = Target.issueTargets.map { $0.evaluate(cellforge: Fixtures.cellforge, peer: Fixtures.torch) }
        #expect(outcomes.map(\.met) == [true, false, false, false, false])
        #expect(outcomes[0].measured == "4.00×")              // 400 / 100 ≥ 3
        #expect(outcomes[1].measured == "1.25×")              // 5000 / 4000 < 1.5
        #expect(outcomes[2].measured == "49.2%")              // 196608 flops / 4 µs = 49.2 GFLOP/s of 100
        #expect(outcomes[3].measured == "50.0 ns/step")
        #expect(outcomes[4].measured == "500 ns/step")
        let noFMA = Target.issueTargets[2].evaluate(cellforge: Fixtures.cellforge, peer: [], fmaPeak: false)
        #expect(noFMA.met == nil && noFMA.measured == "49.2% of mul+add peak")
        let none = Target.issueTargets[0].evaluate(cellforge: Fixtures.cellforge, peer: [])
        #expect(none.met == nil && none.measured == nil)
    }
}
