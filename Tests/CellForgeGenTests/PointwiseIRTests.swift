import CellForge
@testable import CellForgeGen
import Testing

/// The typed pointwise form: what each cell reads and writes comes from the form itself, and
/// the lowering states each cell's update once per file with named offsets.
@Suite struct PointwiseIRTests {
    @Test func readAndWriteAnalysis() {
        let lstm = LSTMEquations(), gru = GRUEquations(), rnn = RNNEquations()
        #expect(lstm.forward.reads.contains(.previousRecord("c")))
        #expect(lstm.forward.writes == [.record("c"), .record("tanhC"), .record("h")])
        #expect(lstm.forward.areas == [.previous, .current])
        #expect(lstm.backward.writes.contains(.carry("c")) && lstm.backward.areas.contains(.previous))
        #expect(!lstm.keepsRecurrentProductApart && !lstm.hasDirectHiddenPath)
        #expect(gru.keepsRecurrentProductApart && gru.hasDirectHiddenPath)
        #expect(gru.forward.areas == [.parameters, .previous, .current, .scratch])
        #expect(rnn.forward.areas == [.current] && rnn.backward.areas == [.delta, .scratch])
        #expect(!rnn.keepsRecurrentProductApart && !rnn.hasDirectHiddenPath)
    }

    @Test(arguments: KernelSpec.generatedCells) func updateIsStatedOncePerFile(_ cell: CellKind) throws {
        let spec = try KernelSpec(cell: cell, hiddenSize: 13, inputSize: 7, scalar: .float, target: .avx2)
        let text = KernelGenerator.source(for: spec)
        for name in ["forwardPointwise", "backwardPointwise"] {
            #expect(text.components(separatedBy: "private func \(name)(").count == 2, "\(name) defined once")
            // The interleaved sequences plus a single one call it: once each per entry point.
            #expect(text.components(separatedBy: "\(name)(").count - 2 == spec.interleave + 1, "\(name) called from each step loop")
        }
        #expect(text.contains("private enum Offset {") && text.contains("static let recordStride = "))
        #expect(text.contains("flops forward") && text.contains("bytes."))
    }

    @Test func expressionsKeepTheirEvaluationOrder() throws {
        let spec = try KernelSpec(cell: .gru, hiddenSize: 8, inputSize: 8, scalar: .float, target: .avx2)
        let emitter = KernelEmitter(spec: spec, regenerate: spec.command)
        let e: Expr = .value("dh") * (1 - .value("u")) * (1 - .value("n") * .value("n"))
        #expect(emitter.render(e, "0") == "dh * (1 - u) * (1 - n * n)")
        #expect(emitter.render(.value("a") - (.value("b") - .value("c")), "0") == "a - (b - c)")
        #expect(emitter.render(.load(.carry("h")), "lane") == "part(scratch, Offset.carryH + lane)")
    }
}
