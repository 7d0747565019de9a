import CellForge
import Foundation
import Testing

/// The `model` fuzz target's seed corpus (Fuzz/corpus/model, written by Fuzz/make-corpus.py)
/// holds what it says: every valid-* file parses as a model file with the architecture its
/// name gives, and the truncated one is refused.
@Suite struct ModelFuzzCorpusTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fuzz/corpus/model").standardized

    func parse(_ name: String) throws -> AnyModelFile {
        try AnyModelFile.parse(data: Data(contentsOf: Self.folder.appendingPathComponent(name)))
    }

    @Test func validSeedsParse() throws {
        let lstm = try parse("valid-lstm2-head-float.safetensors")
        guard case let .float(m) = lstm else { Issue.record("not a Float model: \(lstm)"); return }
        #expect(m.parameters.architecture == (try ModelArchitecture(kind: .lstm, inputSize: 2, hiddenSizes: [3, 3], outputSize: 1)))
        #expect(m.metadata == ["name": "seed"])
        let gru = try parse("valid-gru-tanh-head-double.safetensors")
        guard case let .double(g) = gru else { Issue.record("not a Double model: \(gru)"); return }
        #expect(g.parameters.architecture == (try ModelArchitecture(kind: .gru, inputSize: 1, hiddenSizes: [2], outputSize: 2,
                                                                     activation: .tanh)))
        let rnn = try parse("valid-rnn-no-head-float.safetensors")
        #expect(rnn.architecture == (try ModelArchitecture(kind: .rnn, inputSize: rnn.architecture.inputSize, hiddenSizes: [rnn.architecture.outputSize])),
                "\(rnn.architecture)")
    }

    @Test func truncatedSeedIsRefused() {
        #expect(throws: CellForgeError.self) { try parse("invalid-truncated.safetensors") }
    }
}
