import CellForge
import Foundation
import Testing

/// RTNeural's own functional tests of its six recurrent models (tests/functional, files in
/// Tests/Fixtures/rtneural, see its README), run as RTNeural runs them: the model loaded from
/// RTNeural's file, its state reset to zero once, then the x CSV streamed one sample per step
/// (`ModelStream.process`, reference layers), each output within RTNeural's absolute
/// threshold of the y CSV (Python's float32 outputs).
///
/// The Keras-format files (lstm, lstm_1d, gru, gru_1d) load with `RTNeuralModel`; the
/// torch_helpers files (lstm_torch, gru_torch) with `PyTorchStateDictJSON` and the PyTorch
/// modules RTNeural's test maps them to (`loadLSTM("lstm.")`, `loadLSTM("lstm2.", k)` for
/// k = 0…2, `loadDense("dense.")`).
@Suite struct RTNeuralFunctionalTests {
    struct Case: CustomTestStringConvertible, Sendable {
        /// RTNeural's model name: models/<name>.json, test_data/<name>_{x,y}_python.csv.
        let name: String
        /// RTNeural's threshold (test_configs.hpp, torch_*_test.cpp).
        let threshold: Double
        var testDescription: String { name }
    }

    static let cases = [Case(name: "lstm", threshold: 1e-6), Case(name: "lstm_1d", threshold: 1e-6),
                        Case(name: "gru", threshold: 5e-6), Case(name: "gru_1d", threshold: 1e-6),
                        Case(name: "lstm_torch", threshold: 1e-6), Case(name: "gru_torch", threshold: 1e-6)]

    /// RTNeural runs these in double (and the torch ones in float too, below).
    @Test(arguments: cases) func doubleMatchesRTNeuralsPythonOutputs(_ c: Case) throws {
        try check(c, Double.self)
    }

    /// torch_lstm_test.cpp and torch_gru_test.cpp also run in float, at the same threshold.
    @Test(arguments: cases.filter { $0.name.hasSuffix("_torch") }) func floatMatchesRTNeuralsPythonOutputs(_ c: Case) throws {
        try check(c, Float.self)
    }

    func check<S: CellScalar>(_ c: Case, _: S.Type) throws {
        let x = try csv(c.name + "_x_python.csv"), expected = try csv(c.name + "_y_python.csv")
        #expect(x.count == expected.count && !x.isEmpty)
        let parameters = try model(c.name, S.self)
        let stream = try ModelStream(parameters: parameters, layers: parameters.architecture.referenceLayers(S.self))
        let y = x.map { Double(stream.process(S($0))) }
        let worst = zip(y, expected).map { abs($0 - $1) }.max() ?? .infinity
        print("RTNeural \(c.name) in \(S.self): max |CellForge − Python| \(worst) over \(x.count) steps (threshold \(c.threshold))")
        #expect(worst <= c.threshold, "RTNeural \(c.name) in \(S.self): max error \(worst) > \(c.threshold)")
    }

    /// RTNeural's model `name` as CellForge parameters.
    func model<S: CellScalar>(_ name: String, _: S.Type) throws -> ModelParameters<S> {
        let url = RTNeuralFixture.folder.appendingPathComponent(name + ".json")
        guard name.hasSuffix("_torch") else { return try RTNeuralModel.parameters(contentsOf: url, as: S.self) }
        let file = try PyTorchStateDictJSON.tensors(contentsOf: url)
        let module = name == "lstm_torch" ? "lstm" : "gru"
        return try PyTorchModelWeights.parameters(from: file, modules: [.recurrent(prefix: module + "."), .recurrent(prefix: module + "2."),
                                                                        .linear(prefix: "dense.")], as: S.self)
    }

    /// A one-column CSV (numpy.savetxt) read with Swift's correctly rounded `Double(_:)`.
    func csv(_ file: String) throws -> [Double] {
        let text = try String(contentsOf: RTNeuralFixture.folder.appendingPathComponent(file), encoding: .utf8)
        return try text.split(whereSeparator: \.isNewline).map { line in
            try #require(Double(line.trimmingCharacters(in: .whitespaces)), "\(file): \(line) is not a number")
        }
    }
}
