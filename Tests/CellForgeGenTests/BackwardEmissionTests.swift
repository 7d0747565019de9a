import CellForge
@testable import CellForgeGen
import Foundation
import Testing

/// The backward emission: register budgets from the target, named offsets, the interleave rule.
@Suite struct BackwardEmissionTests {
    /// The step loop and the parameter-gradient pass of a kernel's source.
    func backwardText(_ spec: KernelSpec) -> String {
        let text = KernelGenerator.source(for: spec)
        let start = text.range(of: "public func backward(parameters w: UnsafePointer<")!.lowerBound
        return String(text[start...])
    }

    /// Transposed products keep one accumulator per column, at most R/2 of them: 8 for a
    /// 16-register target even at 512 bits (16 lanes), 16 with 32 registers.
    @Test func transposedProductsFollowTheRegisterCount() throws {
        for (cell, registers, widest) in [(CellKind.lstm, 16, 8), (.lstm, 32, 16), (.gru, 16, 8), (.gru, 32, 16)] {
            let spec = try KernelSpec(cell: cell, hiddenSize: 32, inputSize: 32, scalar: .float,
                                      target: try KernelTarget(vectorBits: 512, registers: registers))
            let text = backwardText(spec)
            #expect(text.contains("var q\(widest - 1) = SIMD16<Float>()"), "\(cell) R\(registers): groups of \(widest)")
            #expect(!text.contains("var q\(widest) = "), "\(cell) R\(registers): no group wider than \(widest)")
        }
    }

    /// No bare numeric offsets in the backward code: every offset into the tape, the deltas,
    /// scratch, the parameters, the state and the caller's per-step vectors starts from a named
    /// constant, 0, a loop index or a column number times `Offset.lanes` (unrolled chunk
    /// offsets are added to a named constant).
    @Test(arguments: [(CellKind.lstm, 8, 8, 256), (.lstm, 20, 1, 256), (.lstm, 64, 64, 512), (.gru, 13, 7, 512),
                      (.gru, 8, 8, 256), (.rnn, 3, 2, 128), (.lstm, 5, 3, 128)])
    func backwardOffsetsAreNamed(_ cell: CellKind, _ h: Int, _ d: Int, _ bits: Int) throws {
        let spec = try KernelSpec(cell: cell, hiddenSize: h, inputSize: d, scalar: .float, target: try KernelTarget(vectorBits: bits))
        let text = backwardText(spec)
        let bare = [
            #"(chunk|part|put|SIMDMath\.load|SIMDMath\.store)\([^()]*?, [1-9][0-9]*( \+|\))"#,  // offset starting with a number
            #"\[[1-9][0-9]* \+"#,                                     // state index "8 + k"
            #"\(t - 1\) \* [0-9]"#, #"\[t \* [0-9]"#,                 // per-step strides
            #"update\(repeating: 0, count: [0-9]"#,                  // the carry area
        ]
        for pattern in bare {
            let matches = text.ranges(of: try Regex(pattern)).map { String(text[$0]) }
            #expect(matches.isEmpty, "\(spec.typeName): bare offsets \(matches.prefix(3))")
        }
    }

    /// The interleave rule (see `KernelSpec.interleave`): 4, except at 16 registers 2 from 5 to
    /// 12 chunks and 3 above; the kernel reports what its batched entry points run.
    @Test func interleaveFollowsTheMeasuredRule() throws {
        for (h, bits, registers, expected) in [(8, 256, 16, 4), (16, 256, 16, 2), (20, 256, 16, 2), (32, 256, 16, 3), (64, 256, 16, 3),
                                               (32, 512, 32, 4), (64, 512, 32, 4), (64, 512, 16, 3), (24, 512, 16, 2), (8, 128, 32, 4)] {
            let spec = try KernelSpec(cell: .lstm, hiddenSize: h, inputSize: h, scalar: .float,
                                      target: try KernelTarget(vectorBits: bits, registers: registers))
            #expect(spec.interleave == expected, "\(spec.typeName)")
            let text = KernelGenerator.source(for: spec)
            #expect(text.contains("public var interleave: Int { \(expected) }"))
            #expect(text.contains("private func backwardSteps\(expected)(") && text.contains("private func forwardSteps\(expected)("))
        }
    }
}
