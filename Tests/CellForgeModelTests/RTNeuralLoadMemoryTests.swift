import CellForge
import CellForgeTestSupport
import Foundation
import Testing

/// Reading an RTNeural file costs memory proportional to its size: a 30 MB file of short
/// numbers (0.5, -0.25, 0.0, about 5 bytes of text each, each held as an 8-byte Double) peaks
/// below 5 × its size + 60 MB resident, measured in a fresh process (`cellforge-load-probe
/// rtneural`); the JSONDecoder-based reader took 10 × its size. Not bounded under a
/// sanitizer, whose allocator's memory use is its own.
@Suite struct RTNeuralLoadMemoryTests {
    @Test func peakMemoryOfA30MBFileOfShortNumbersIsBelowFiveTimesItsSizePlus60MB() throws {
        // One LSTM of H 800 on D 1000 (5.8 million weights) and a dense head.
        let architecture = try ModelArchitecture(kind: .lstm, inputSize: 1000, hiddenSizes: [800], outputSize: 1)
        var model = ModelParameters<Float>(zerosFor: architecture)
        let pattern: [Float] = [0.5, -0.25, 0]
        model.layers[0].values = model.layers[0].values.indices.map { pattern[$0 % 3] }
        let json = try RTNeuralModel.json(model)
        #expect(json.count > 25_000_000, "\(json.count) bytes")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rtneural-\(UUID().uuidString).json")
        try json.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }

        let r = try ChildProcess.run("cellforge-load-probe", ["rtneural", url.path], timeout: 300)
        let lines = r.output.split(separator: "\n")
        #expect(lines.first == "loaded", "\(r.output) \(r.error)")
        guard !lines.contains("sanitizer yes") else { return }
        let kib = try #require(lines.first { $0.hasPrefix("maxrss_kb ") }.flatMap { Int($0.dropFirst("maxrss_kb ".count)) }, "\(r.output)")
        let (peak, bound) = (kib * 1024, 5 * json.count + 60_000_000)
        print("RTNeural \(json.count) bytes: peak resident \(peak / 1_000_000) MB, bound \(bound / 1_000_000) MB")
        #expect(peak < bound, "peak \(peak) bytes for a \(json.count)-byte file")
    }
}
