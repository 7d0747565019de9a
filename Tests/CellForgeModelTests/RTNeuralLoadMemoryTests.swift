import CellForge
import CellForgeTestSupport
import Foundation
import Testing

/// Reading an RTNeural file costs memory proportional to its size: a 40 MB file of numbers
/// peaks below 3 × its size + 60 MB resident (measured in a fresh process, `cellforge-load-probe
/// rtneural`), where the JSONDecoder-based reader took over 30 × its size. Not bounded under a
/// sanitizer, whose allocator's memory use is its own.
@Suite struct RTNeuralLoadMemoryTests {
    @Test func peakMemoryOfA40MBFileIsBelowThreeTimesItsSizePlus60MB() throws {
        // One LSTM of H 500 on D 400 (1.8 million weights) and a dense head: about 40 MB of JSON.
        let architecture = try ModelArchitecture(kind: .lstm, inputSize: 400, hiddenSizes: [500], outputSize: 1)
        let json = try RTNeuralModel.json(ModelParameters<Float>.random(architecture, seed: 40))
        #expect(json.count > 35_000_000, "\(json.count) bytes")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rtneural-\(UUID().uuidString).json")
        try json.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }

        let r = try ChildProcess.run("cellforge-load-probe", ["rtneural", url.path], timeout: 300)
        let lines = r.output.split(separator: "\n")
        #expect(lines.first == "loaded", "\(r.output) \(r.error)")
        guard !lines.contains("sanitizer yes") else { return }
        let kib = try #require(lines.first { $0.hasPrefix("maxrss_kb ") }.flatMap { Int($0.dropFirst("maxrss_kb ".count)) }, "\(r.output)")
        let (peak, bound) = (kib * 1024, 3 * json.count + 60_000_000)
        print("RTNeural \(json.count) bytes: peak resident \(peak / 1_000_000) MB, bound \(bound / 1_000_000) MB")
        #expect(peak < bound, "peak \(peak) bytes for a \(json.count)-byte file")
    }
}
