import CellForge
import CellForgeKernels
import Foundation
import Testing

/// A NAM capture (nam_lstm_2x8.nam, written by NAM's exporter) streamed through the generated
/// kernels from its stored initial state, as a plugin runs it: NAM's outputs within the Float
/// bound of NAMModelTests (1e-5), and per-sample processing equal to blocks bit for bit.
@Suite struct NAMStreamingTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/nam")

    @Test func streamsANAMCaptureFromItsStoredState() throws {
        let model = try NAMModel<Float>.load(contentsOf: Self.folder.appendingPathComponent("nam_lstm_2x8.nam"))
        let io = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.folder.appendingPathComponent("nam_lstm_2x8.io.json")))
            as! [String: Any]
        let (x, expected) = ((io["x"] as! [Double]).map { Float($0) }, io["outputs"] as! [Double])

        let stream = try ModelStream(parameters: model.parameters, registry: GeneratedKernels.self, maximumBlock: 64)
        try stream.setState(model.initialState)
        var blocks = [Float](repeating: .nan, count: x.count)
        x.withUnsafeBufferPointer { xs in
            blocks.withUnsafeMutableBufferPointer { ys in stream.process(input: xs.baseAddress!, output: ys.baseAddress!, frames: xs.count) }
        }
        let worst = zip(blocks, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
        print("NAM 2x8 streamed through the kernels: max |CellForge − NAM| \(worst)")
        #expect(worst <= 1e-5)

        try stream.setState(model.initialState)
        #expect(x.map { stream.process($0) }.map(\.bitPattern) == blocks.map(\.bitPattern))
    }
}
