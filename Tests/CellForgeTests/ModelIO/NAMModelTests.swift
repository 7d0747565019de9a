import CellForge
import Foundation
import Testing

/// NAM LSTM files: the fixtures written by NAM's own exporter (Tests/Fixtures/nam,
/// make_nam_fixtures.py) import and reproduce NAM's outputs from the stored initial state; a
/// CellForge export is the file NAM's package was shown to load (its outputs recorded by the
/// same script); bad files and models NAM cannot hold are refused in one line.
@Suite struct NAMModelTests {
    static let names = ["nam_lstm_1x12", "nam_lstm_1x16", "nam_lstm_2x8", "nam_lstm_3x5"]

    static func url(_ name: String) throws -> URL {
        try ModelIOTestSupport.folder().deletingLastPathComponent().appendingPathComponent("nam/\(name)")
    }

    /// A fixture's input signal and NAM's outputs (float64, from the file's initial state).
    static func io(_ name: String) throws -> (x: [Double], outputs: [Double]) {
        guard let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url(name + ".io.json"))) as? [String: Any],
              let x = json["x"] as? [Double], let y = json["outputs"] as? [Double], x.count == y.count else {
            throw FixtureError("\(name).io.json has no x and outputs of one length")
        }
        return (x, y)
    }

    /// The largest |CellForge − NAM| computing in `S` with the reference model from the file's initial state.
    static func maxError<S: CellScalar>(_ model: NAMModel<S>, _ io: (x: [Double], outputs: [Double])) throws -> Double {
        let out = try ReferenceModel(parameters: model.parameters).forward(io.x.map { [S($0)] }, initialState: model.initialState).outputs
        return zip(out, io.outputs).map { abs(Double($0[0]) - $1) }.max() ?? .infinity
    }

    /// NAM computed in float64 from the stored float32 weights and state, which CellForge reads
    /// exactly; the LSTM's forget gate (σ < 1) keeps per-step rounding from compounding over the
    /// 512 steps, so Double differs by summation order and libm alone (measured ≈ 1e-15; a
    /// wrong gate order, bias or state is ≥ 1e-2). Float computes in float32: per step a few
    /// ulps of values ≲ 1, again not compounding: 1e-5, the agreement NAM's files are held to.
    @Test(arguments: names) func importedModelsReproduceNAM(_ name: String) throws {
        let io = try Self.io(name)
        let double = try NAMModel<Double>.load(contentsOf: Self.url(name + ".nam"))
        let float = try NAMModel<Float>.load(contentsOf: Self.url(name + ".nam"))
        #expect(double.sampleRate == 48000)
        #expect(double.initialState.contains { $0 != 0 }, "the stored state must be read")
        let (e64, e32) = (try Self.maxError(double, io), try Self.maxError(float, io))
        print("\(name): max |CellForge − NAM| Double \(e64), Float \(e32)")
        #expect(e64 <= ModelIOTolerance.double)
        #expect(e32 <= 1e-5)
    }

    /// The sizes come from the file: 2×8 is two LSTM H8 layers (D 1, then 8) and a 1-output head.
    @Test func architectureComesFromTheConfig() throws {
        let model = try NAMModel<Float>.load(contentsOf: Self.url("nam_lstm_2x8.nam"))
        #expect(model.parameters.architecture == (try ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [8, 8], outputSize: 1)))
        #expect(model.initialState.count == 2 * 2 * 8)
    }

    /// CellForge's export of nam_lstm_2x8's parameters is byte for byte the committed file, which
    /// NAM's `init_from_nam` loaded and ran (cellforge_export_lstm_2x8.io.json): NAM's outputs
    /// on CellForge's file equal CellForge's own, to the Double tolerance above.
    @Test func exportIsTheFileNAMLoads() throws {
        let model = try NAMModel<Float>.load(contentsOf: Self.url("nam_lstm_2x8.nam"))
        let committed = try Data(contentsOf: Self.url("cellforge_export_lstm_2x8.nam"))
        #expect(model.json() == committed, "regenerate the fixture and rerun make_nam_fixtures.py if the format changed on purpose")
        let reread = try NAMModel<Double>(json: committed)
        let e = try Self.maxError(reread, Self.io("cellforge_export_lstm_2x8"))
        print("NAM on CellForge's export: max |CellForge − NAM| \(e)")
        #expect(e <= ModelIOTolerance.double)
    }

    @Test func roundTripsExactly() throws {
        for name in Self.names {
            let float = try NAMModel<Float>.load(contentsOf: Self.url(name + ".nam"))
            #expect(try NAMModel<Float>(json: float.json()) == float)
            let double = try NAMModel<Double>.load(contentsOf: Self.url(name + ".nam"))
            #expect(try NAMModel<Double>(json: double.json()) == double)
        }
        let architecture = try ModelArchitecture(kind: .lstm, inputSize: 3, hiddenSizes: [4, 4], outputSize: 2)
        let random = try NAMModel(parameters: ModelParameters<Double>.random(architecture, seed: 9),
                                  initialState: (0..<16).map { Double($0) / 7 }, sampleRate: 44100)
        #expect(try NAMModel<Double>(json: random.json()) == random)
        #expect(String(decoding: random.json(), as: UTF8.self).contains("\"out_channels\": 2"))
    }

    /// A .nam file with `text` as its JSON.
    static func parse(_ text: String) throws { _ = try NAMModel<Float>(json: Data(text.utf8)) }

    /// A valid 1-layer H1 D1 file (4·2 + 4 + 2 + 2 = 16 weights) with `weights` and `config` replaceable.
    static func file(config: String = "\"input_size\": 1, \"hidden_size\": 1, \"num_layers\": 1",
                     weights: String = Array(repeating: "0.1", count: 16).joined(separator: ", "), extra: String = "") -> String {
        "{\"version\": \"0.5.4\", \"architecture\": \"LSTM\", \"config\": {\(config)}, \"weights\": [\(weights)]\(extra)}"
    }

    @Test func refusesBadFilesInOneLine() throws {
        try Self.parse(Self.file())
        ModelIOTestSupport.expectError(["WaveNet", "LSTM"]) { try Self.parse(Self.file().replacingOccurrences(of: "\"LSTM\"", with: "\"WaveNet\"")) }
        ModelIOTestSupport.expectError(["weights", "16 values", "15"]) {
            try Self.parse(Self.file(weights: Array(repeating: "0.1", count: 15).joined(separator: ", ")))
        }
        ModelIOTestSupport.expectError(["weights[12]", "layer 0 initial h", "not a number"]) {
            try Self.parse(Self.file(weights: (Array(repeating: "0.1", count: 12) + ["\"x\""] + Array(repeating: "0.1", count: 3)).joined(separator: ", ")))
        }
        ModelIOTestSupport.expectError(["weights[15]", "head bias", "out of Float range"]) {
            try Self.parse(Self.file(weights: (Array(repeating: "0.1", count: 15) + ["1e39"]).joined(separator: ", ")))
        }
        ModelIOTestSupport.expectError(["hidden_size", "not an integer"]) {
            try Self.parse(Self.file(config: "\"input_size\": 1, \"hidden_size\": \"1\", \"num_layers\": 1"))
        }
        ModelIOTestSupport.expectError(["no \"num_layers\""]) { try Self.parse(Self.file(config: "\"input_size\": 1, \"hidden_size\": 1")) }
        ModelIOTestSupport.expectError(["num_layers", "0"]) {
            try Self.parse(Self.file(config: "\"input_size\": 1, \"hidden_size\": 1, \"num_layers\": 0"))
        }
        ModelIOTestSupport.expectError(["num_layers", "1000000"]) {
            try Self.parse(Self.file(config: "\"input_size\": 1, \"hidden_size\": 1, \"num_layers\": 1000000"))
        }
        ModelIOTestSupport.expectError(["hidden_size", "5000"]) {
            try Self.parse(Self.file(config: "\"input_size\": 1, \"hidden_size\": 5000, \"num_layers\": 1"))
        }
        ModelIOTestSupport.expectError(["in_channels", "expected 1", "got 2"]) {
            try Self.parse(Self.file(config: "\"input_size\": 1, \"hidden_size\": 1, \"num_layers\": 1, \"in_channels\": 2"))
        }
        ModelIOTestSupport.expectError(["sample_rate", "-1"]) { try Self.parse(Self.file(extra: ", \"sample_rate\": -1")) }
        ModelIOTestSupport.expectError(["\"config\""]) { try Self.parse("{\"architecture\": \"LSTM\", \"weights\": []}") }
        ModelIOTestSupport.expectError(["not valid JSON"]) { try Self.parse("{\"architecture\": ") }
    }

    @Test func refusesModelsNAMCannotHold() throws {
        let gru = try ModelArchitecture(kind: .gru, inputSize: 1, hiddenSizes: [4], outputSize: 1)
        ModelIOTestSupport.expectError(["layer 0", "GRU"]) { _ = try NAMModel(parameters: ModelParameters<Float>.random(gru, seed: 1)) }
        let mixed = try ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [4, 6], outputSize: 1)
        ModelIOTestSupport.expectError(["layer 1", "H6", "one hidden size"]) { _ = try NAMModel(parameters: ModelParameters<Float>.random(mixed, seed: 1)) }
        let headless = try ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [4])
        ModelIOTestSupport.expectError(["no dense layer"]) { _ = try NAMModel(parameters: ModelParameters<Float>.random(headless, seed: 1)) }
        let tanh = try ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [4], outputSize: 1, activation: .tanh)
        ModelIOTestSupport.expectError(["a tanh activation after it"]) { _ = try NAMModel(parameters: ModelParameters<Float>.random(tanh, seed: 1)) }
        let lstm = try ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [4], outputSize: 1)
        let p = ModelParameters<Float>.random(lstm, seed: 1)
        let denseFirst = try ModelArchitecture(layers: [.dense(DenseLayerShape(inputSize: 1, outputSize: 4)),
                                                        .recurrent(RecurrentLayerShape(kind: .lstm, hiddenSize: 4, inputSize: 4)),
                                                        .dense(DenseLayerShape(inputSize: 4, outputSize: 1))])
        ModelIOTestSupport.expectError(["layer 0 (Dense 1 → 4)", "does not fit"]) {
            _ = try NAMModel(parameters: ModelParameters<Float>.random(denseFirst, seed: 1))
        }
        ModelIOTestSupport.expectError(["initial state", "expected 8 values", "got 3"]) { _ = try NAMModel(parameters: p, initialState: [0, 0, 0]) }
        ModelIOTestSupport.expectError(["initial state value 2"]) { _ = try NAMModel(parameters: p, initialState: [0, 0, .nan, 0, 0, 0, 0, 0]) }
        ModelIOTestSupport.expectError(["sample rate"]) { _ = try NAMModel(parameters: p, sampleRate: 0) }
    }
}
