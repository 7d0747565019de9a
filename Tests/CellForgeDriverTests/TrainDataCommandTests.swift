import CellForge
import CellForgeTestSupport
import Foundation
import Testing

/// `cellforge-train --input --target`: trains, exports every format, writes predictions and a
/// plot; a run resumed from its checkpoint exports the same model as one never stopped; bad
/// files and flags exit 2 with one line and write nothing.
@Suite(.serialized) struct TrainDataCommandTests {
    /// A folder with dry.wav and wet.wav: 3 s at 8 kHz, wet = tanh(3·dry) low-passed.
    static func capture() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cellforge-train-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var rng = SplitMix64(seed: 4)
        var dry: [Float] = [], wet: [Float] = [], state = 0.0
        for n in 0..<24_000 {
            let t = Double(n), noise: Double = rng.nextSigned()
            let x = 0.4 * sin(t * 0.03) * (1 + 0.5 * sin(t * 0.0011)) + 0.05 * noise
            state = 0.7 * state + 0.3 * tanh(3 * x)
            dry.append(Float(x))
            wet.append(Float(state))
        }
        try WAVFile.write(dry, sampleRate: 8000, to: folder.appendingPathComponent("dry.wav"))
        try WAVFile.write(wet, sampleRate: 8000, to: folder.appendingPathComponent("wet.wav"))
        return folder
    }

    static func arguments(_ folder: URL, _ extra: [String]) -> [String] {
        ["--input", folder.appendingPathComponent("dry.wav").path, "--target", folder.appendingPathComponent("wet.wav").path,
         "--model", "lstm:1x8", "--segment", "400", "--burn-in", "50", "--batch", "8", "--validation-seconds", "0.5",
         "--learning-rate", "0.01", "--workers", "2", "--quiet"] + extra
    }

    static func files(_ folder: URL) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() }

    @Test func trainsExportsAndResumesExactly() throws {
        let folder = try Self.capture()
        defer { try? FileManager.default.removeItem(at: folder) }
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        let whole = try ChildProcess.run("cellforge-train", Self.arguments(folder, [
            "--epochs", "4", "--export", path("a.nam"), "--export", path("a.json"), "--export", path("a.cfmodel"),
            "--export", path("a.safetensors"), "--predictions", path("a.wav"), "--plot", path("a.svg")]), timeout: 600)
        #expect(whole.status == 0, "\(whole.error)")
        #expect(whole.output.contains("epoch   4/4") && whole.output.contains("val ESR"), "\(whole.output)")
        let model = try ModelFile<Float>.load(from: folder.appendingPathComponent("a.cfmodel"))
        #expect(model.metadata["training_metric"] == "ESR")
        let nam = try NAMModel<Float>.load(contentsOf: folder.appendingPathComponent("a.nam"))
        #expect(nam.parameters == model.parameters && nam.sampleRate == 8000 && nam.metadata == model.metadata)
        #expect(try RTNeuralModel.parameters(contentsOf: folder.appendingPathComponent("a.json"), as: Float.self) == model.parameters)
        let torch = try PyTorchModelWeights.parameters(from: SafeTensors(contentsOf: folder.appendingPathComponent("a.safetensors")), as: Float.self)
        #expect(torch == model.parameters)
        let predictions = try WAVFile.load(contentsOf: folder.appendingPathComponent("a.wav"))
        #expect(predictions.frameCount == 24_000 && predictions.sampleRate == 8000)
        // The predictions are the NAM export streamed from its initial state.
        let stream = try ModelStream<Float>(parameters: nam.parameters, layers: nam.parameters.architecture.referenceLayers(Float.self))
        try stream.setState(nam.initialState)
        let dry = try WAVFile.load(contentsOf: folder.appendingPathComponent("dry.wav")).channel(0, as: Float.self)
        let y = try predictions.channel(0, as: Float.self)
        var worst: Float = 0
        for n in 0..<2000 { worst = max(worst, abs(stream.process(dry[n]) - y[n])) }
        #expect(worst < 1e-5, "predictions vs the NAM export streamed: \(worst)")
        #expect(try String(contentsOf: folder.appendingPathComponent("a.svg"), encoding: .utf8).hasPrefix("<svg"))
        #expect(FileManager.default.fileExists(atPath: path("a.nam.checkpoint")))

        let first = try ChildProcess.run("cellforge-train", Self.arguments(folder, [
            "--epochs", "2", "--checkpoint", path("b.checkpoint"), "--export", path("half.cfmodel")]), timeout: 600)
        #expect(first.status == 0, "\(first.error)")
        let resumed = try ChildProcess.run("cellforge-train", Self.arguments(folder, [
            "--epochs", "4", "--resume", path("b.checkpoint"), "--export", path("b.cfmodel")]), timeout: 600)
        #expect(resumed.status == 0 && resumed.output.contains("resumed after epoch 2"), "\(resumed.error)")
        #expect(try ModelFile<Float>.load(from: folder.appendingPathComponent("b.cfmodel")).parameters == model.parameters)
    }

    @Test func badFilesAndFlagsExitTwoAndWriteNothing() throws {
        let folder = try Self.capture()
        defer { try? FileManager.default.removeItem(at: folder) }
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        try WAVFile.write([Float](repeating: 0.1, count: 24_000), sampleRate: 16_000, to: folder.appendingPathComponent("fast.wav"))
        try WAVFile.write([Float](repeating: 0.1, count: 20_000), sampleRate: 8000, to: folder.appendingPathComponent("short.wav"))
        try Data("RIFF....WAVEjunk".utf8).write(to: folder.appendingPathComponent("junk.wav"))
        let before = try Self.files(folder)
        let out = ["--export", path("m.nam"), "--plot", path("m.svg")]
        let cases: [([String], String)] = [
            (Self.arguments(folder, ["--model", "lstm:0x8"] + out), "--model"),
            (Self.arguments(folder, ["--model", "gru:1x8"] + out), "m.nam"),
            (Self.arguments(folder, ["--export", path("m.txt")]), "m.txt"),
            (Self.arguments(folder, ["--export", path("missing/m.nam")]), "does not exist"),
            (Self.arguments(folder, ["--burn-in", "400"] + out), "--burn-in"),
            (Self.arguments(folder, ["--segment", "30000"] + out), "segment"),
            (Self.arguments(folder, ["--epochs"]), "--epochs needs a value"),
            (Self.arguments(folder, ["--resume", path("nothing.checkpoint")] + out), "nothing.checkpoint"),
            (["--input", path("dry.wav"), "--target", path("fast.wav")] + out, "sample rates differ"),
            (["--input", path("dry.wav"), "--target", path("short.wav")] + out, "lengths differ"),
            (["--input", path("junk.wav"), "--target", path("wet.wav")] + out, "junk.wav"),
            (["--input", path("absent.wav"), "--target", path("wet.wav")] + out, "absent.wav"),
            (["--input", path("dry.wav"), "--target", path("wet.wav"), "--channel", "1"] + out, "channel"),
            (["--input", path("dry.wav")] + out, "--target"),
        ]
        for (arguments, phrase) in cases {
            let r = try ChildProcess.run("cellforge-train", arguments, timeout: 600)
            let lines = r.error.split(separator: "\n")
            #expect(r.status == 2 && lines.count == 1 && r.error.contains(phrase), "\(arguments.suffix(4)): status \(r.status): \(r.error)")
            #expect(try Self.files(folder) == before, "nothing written for \(phrase)")
        }
    }
}
