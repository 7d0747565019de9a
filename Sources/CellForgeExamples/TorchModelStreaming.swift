import CellForge
import CellForgeKernels
import Foundation

/// The model example's import half: an `nn.LSTM(1, 20)` + `nn.Linear(20, 1)` trained by
/// PyTorch on the soft clipper y = tanh(3x) (Tests/Fixtures/models/train_torch_lstm20.py),
/// loaded with `PyTorchModelWeights` and streamed one sample per call through a
/// `ModelStream`, checked against the outputs PyTorch computed for the same signal.
public enum TorchModelStreaming {
    /// What `run` found.
    public struct Outcome: Sendable {
        /// The imported model's architecture.
        public var architecture: ModelArchitecture
        /// Samples in the test signal.
        public var samples: Int
        /// max |CellForge − PyTorch float64| over the streamed outputs (PyTorch running the same
        /// float32 weights in float64: the exact function up to 1e-15).
        public var errorAgainstFloat64: Double
        /// max |CellForge − PyTorch float32|.
        public var errorAgainstFloat32: Double
        /// The MSE of the streamed outputs against tanh(3x).
        public var clipperError: Double
        /// Median wall time per streamed sample over `rounds` passes over the signal.
        public var nanosecondsPerSample: Double
    }

    /// The largest accepted |CellForge − PyTorch float64|. The Float kernel computes each gate
    /// from 21 float32 products (ε = 6e-8, about 3e-7 relative after summation) and evaluates
    /// tanh and σ with the vector approximations (≤ 3e-7 absolute each); the cell state forgets
    /// (f < 1), so errors stay at a few times one step's, and the head sums 20 terms of |V·h| ≲ 1:
    /// a few 1e-6 at most. 1e-5 bounds that with margin, while a wrong gate order, a dropped bias
    /// or a transposed head changes outputs by 1e-2 or more.
    public static let tolerance = 1e-5

    /// Tests/Fixtures/models in this checkout, where the PyTorch model and its samples live.
    public static let defaultDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Tests/Fixtures/models")

    /// The committed samples: the test signal and PyTorch's outputs for it.
    struct Samples: Decodable {
        var x: [Float]
        var float32: [Double]
        var float64: [Double]
    }

    /// Imports `torch_lstm20_softclip.safetensors` from `directory`, streams the test signal once
    /// to compare with PyTorch, then `rounds` more times (reset in between) to time it.
    /// - Throws: `CellForgeError` if a file is missing or not the expected model.
    public static func run(directory: URL = defaultDirectory, rounds: Int = 200) throws -> Outcome {
        let file = try SafeTensors(contentsOf: directory.appendingPathComponent("torch_lstm20_softclip.safetensors"))
        let parameters = try PyTorchModelWeights.parameters(from: file, as: Float.self)
        let samples: Samples
        do {
            samples = try JSONDecoder().decode(Samples.self, from: Data(contentsOf: directory.appendingPathComponent("torch_lstm20_softclip.json")))
        } catch {
            throw CellForgeError.invalidArgument("cannot read torch_lstm20_softclip.json in \(directory.path): \(error)")
        }
        guard samples.float32.count == samples.x.count, samples.float64.count == samples.x.count else {
            throw CellForgeError.shapeMismatch(name: "torch_lstm20_softclip.json outputs", expected: "\(samples.x.count) values",
                                               actual: "\(samples.float32.count) and \(samples.float64.count)")
        }
        let stream = try ModelStream(parameters: parameters,
                                     layers: parameters.architecture.openLayers(recurrent: [KernelLayer(LSTM_H20_D1_Float())]))
        let outputs = samples.x.map { stream.process($0) }
        var e64 = 0.0, e32 = 0.0, clipper = 0.0
        for (k, y) in outputs.enumerated() {
            e64 = max(e64, abs(Double(y) - samples.float64[k]))
            e32 = max(e32, abs(Double(y) - samples.float32[k]))
            let target = Double(Float.tanh(3 * samples.x[k]))
            clipper += (Double(y) - target) * (Double(y) - target)
        }
        var times: [Double] = []
        var sink: Float = 0
        for _ in 0..<max(1, rounds) {
            stream.reset()
            let start = DispatchTime.now().uptimeNanoseconds
            for x in samples.x { sink += stream.process(x) }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / Double(samples.x.count))
        }
        if sink.isNaN { throw CellForgeError.nonFinite(name: "streamed outputs") }
        return Outcome(architecture: parameters.architecture, samples: samples.x.count, errorAgainstFloat64: e64,
                       errorAgainstFloat32: e32, clipperError: clipper / Double(outputs.count),
                       nanosecondsPerSample: times.sorted()[times.count / 2])
    }
}
