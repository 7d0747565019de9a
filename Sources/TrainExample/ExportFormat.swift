import CellForge
import Foundation

/// The model formats `--export` writes, told apart by extension.
enum ExportFormat {
    /// NAM's `.nam` (LSTM stacks with a dense head), starting from the settled state.
    case nam
    /// RTNeural's JSON.
    case rtNeural
    /// A PyTorch state_dict as safetensors: `rnn.` (one `nn.LSTM`/`nn.GRU`/`nn.RNN` of all layers) and `head.` (`nn.Linear`).
    case pyTorch
    /// A CellForge model file.
    case cellForge

    init?(_ url: URL) {
        switch url.pathExtension.lowercased() {
        case "nam": self = .nam
        case "json": self = .rtNeural
        case "safetensors": self = .pyTorch
        case "cfmodel": self = .cellForge
        default: return nil
        }
    }

    /// The file's bytes for `model`.
    /// - Parameters:
    ///   - initialState: where a stream of the model should start (written by `.nam` only).
    ///   - metadata: what the training reported (written by `.nam` and `.cfmodel`).
    /// - Throws: `CellForgeError` if the format cannot hold the model.
    func write(_ model: ModelParameters<Float>, initialState: [Float], sampleRate: Int?, metadata: [String: String], to url: URL) throws {
        switch self {
        case .nam:
            try NAMModel(parameters: model, initialState: initialState, sampleRate: sampleRate.map(Double.init), metadata: metadata).save(to: url)
        case .rtNeural: try AtomicFile.write(RTNeuralModel.json(model), to: url)
        case .pyTorch: try PyTorchModelWeights.tensors(model, recurrent: "rnn.", head: "head.").write(to: url)
        case .cellForge: try ModelFile(parameters: model, metadata: metadata).save(to: url)
        }
    }

    /// Throws if the format cannot hold models of `architecture` (checked before training).
    func check(_ architecture: ModelArchitecture, url: URL) throws {
        let zeros = ModelParameters<Float>(zerosFor: architecture)
        do {
            switch self {
            case .nam: _ = try NAMModel(parameters: zeros)
            case .rtNeural: _ = try RTNeuralModel.json(zeros)
            case .pyTorch: _ = try PyTorchModelWeights.tensors(zeros, recurrent: "rnn.", head: "head.")
            case .cellForge: _ = try ModelFile(parameters: zeros)
            }
        } catch {
            throw UsageError("--export \(url.lastPathComponent): \(error)")
        }
    }
}
