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

    /// Transposed products without copies (H64: the copy of U would exceed the stack scratch)
    /// keep one accumulator per column, at most R/2 of them: 8 for a 16-register target even
    /// at 512 bits (16 lanes), 16 with 32 registers.
    @Test func transposedProductsFollowTheRegisterCount() throws {
        for (cell, registers, widest) in [(CellKind.lstm, 16, 8), (.lstm, 32, 16), (.gru, 16, 8), (.gru, 32, 16)] {
            let spec = try KernelSpec(cell: cell, hiddenSize: 64, inputSize: 64, scalar: .float,
                                      target: try KernelTarget(vectorBits: 512, registers: registers))
            let text = backwardText(spec)
            #expect(text.contains("var q\(widest - 1) = SIMD16<Float>()"), "\(cell) R\(registers): groups of \(widest)")
            #expect(!text.contains("var q\(widest) = "), "\(cell) R\(registers): no group wider than \(widest)")
        }
    }

    /// Uᵀ·δz reads a transposed copy of U where it fits the stack scratch (and Wᵀ·δz one of W
    /// where D is whole parts and both fit): no transposing reduction is left there. Larger
    /// kernels, and H ≤ 2 (scalar parts), keep the dot products.
    @Test func transposedCopiesWhereTheyFit() throws {
        // (cell, H, D, scalar, bits, copies of U, of W, scalars of the copies)
        let cases: [(CellKind, Int, Int, ScalarType, Int, Bool, Bool, Int)] = [
            (.lstm, 16, 16, .float, 512, true, true, 64 * 32),
            (.lstm, 8, 8, .float, 256, true, true, 32 * 16),
            (.lstm, 20, 1, .float, 256, true, false, 96 * 24),
            (.gru, 32, 32, .float, 512, true, true, 96 * 64),
            (.lstm, 32, 32, .double, 512, true, false, 128 * 32),
            (.rnn, 64, 64, .float, 512, true, true, 64 * 128),
            (.lstm, 64, 64, .float, 512, false, false, 0),
            (.gru, 1, 3, .float, 256, false, false, 0),
        ]
        for (cell, h, d, scalar, bits, copiesU, copiesW, count) in cases {
            let spec = try KernelSpec(cell: cell, hiddenSize: h, inputSize: d, scalar: scalar, target: try KernelTarget(vectorBits: bits))
            let text = backwardText(spec), source = KernelGenerator.source(for: spec)
            let name = spec.typeName
            #expect(text.contains("StackScratch.with(\(scalar.swiftName).self, capacity: Offset.transposedCount)") == copiesU, "\(name)")
            #expect(text.contains("each row of the copy of U serves every sequence") == copiesU, "\(name)")
            #expect(text.contains("δz[r]·W[r, ·]") == copiesW, "\(name)")
            #expect(text.contains("SIMDMath.transposedSum") == (!copiesW && text.contains("Offset.reduction")), "\(name)")
            if copiesU { #expect(source.contains("static let transposedCount = \(count)\n"), "\(name)") }
            #expect(source.contains("static let transposedInput") == copiesW, "\(name)")
        }
    }

    /// The copies' products split each part's sum over R/2 ÷ interleave accumulators (2 to 4),
    /// the same for one sequence as for a lockstep group, so that both sum alike.
    @Test func transposedCopySplitsFollowTheRegisterCount() throws {
        for (registers, splits) in [(16, 2), (32, 4)] {
            let spec = try KernelSpec(cell: .lstm, hiddenSize: 16, inputSize: 16, scalar: .float,
                                      target: try KernelTarget(vectorBits: 512, registers: registers))
            let text = backwardText(spec)
            for steps in ["backwardSteps\(spec.interleave)(", "backwardSteps1("] {
                let body = String(text[text.range(of: "private func \(steps)")!.lowerBound...])
                #expect(body.contains("var a0_\(splits - 1) = SIMD16<Float>()"), "R\(registers) \(steps)")
                #expect(!body.contains("var a0_\(splits) = "), "R\(registers) \(steps)")
            }
        }
    }

    /// The copies' products block rows as `KernelEmitter.broadcastBlocking` says: whole chunks,
    /// then parts (24 lanes at 512 bits: a 16-lane chunk and an 8-lane part); as many pieces
    /// per δz broadcast as fit with two accumulators each, as evenly as possible; splits as
    /// many as fit, at most the single piece's; only real rows where H does not fill its gate
    /// blocks. One sequence takes the blocking of the lockstep group.
    @Test func broadcastBlockingFollowsTheRegisterCount() throws {
        // (cell, H, D, bits, registers, pieces, per broadcast, splits, gate blocks skip padding rows)
        let cases: [(CellKind, Int, Int, Int, Int, Int, Int, Int, Bool)] = [
            (.lstm, 20, 1, 512, 32, 2, 2, 3, true),
            (.lstm, 16, 16, 512, 32, 1, 1, 4, false),
            (.lstm, 16, 16, 512, 16, 1, 1, 2, false),
            (.lstm, 32, 32, 256, 16, 4, 2, 2, false),
            (.rnn, 64, 64, 512, 32, 4, 2, 3, false),
            (.gru, 13, 7, 512, 32, 1, 1, 4, true),
            (.gru, 13, 7, 256, 16, 2, 2, 3, true),
            (.lstm, 24, 8, 512, 16, 2, 2, 3, false),
        ]
        for (cell, h, d, bits, registers, pieces, group, splits, skips) in cases {
            let spec = try KernelSpec(cell: cell, hiddenSize: h, inputSize: d, scalar: .float,
                                      target: try KernelTarget(vectorBits: bits, registers: registers))
            let e = KernelEmitter(spec: spec, regenerate: spec.command)
            let name = "\(spec.typeName) R\(registers)"
            let rowPieces = e.rowPieces(width: spec.layout.paddedHidden)
            #expect(rowPieces.count == pieces, "\(name)")
            #expect(rowPieces.map(\.lanes).reduce(0, +) == spec.layout.paddedHidden, "\(name)")
            let blocking = e.broadcastBlocking(pieces: pieces)
            #expect(blocking.group == group && blocking.splits == splits, "\(name): \(blocking)")
            let text = backwardText(spec)
            #expect(text.contains("Rows of real lanes only") == skips, "\(name)")
            for steps in ["backwardSteps\(spec.interleave)(", "backwardSteps1("] {
                let body = String(text[text.range(of: "private func \(steps)")!.lowerBound...])
                let last = group == 1 ? "a0_\(splits - 1)" : "a0_\(group - 1)_\(splits - 1)"
                let over = group == 1 ? "a0_\(splits)" : "a0_\(group - 1)_\(splits)"
                #expect(body.contains("var \(last) = "), "\(name) \(steps)")
                #expect(!body.contains("var \(over) = "), "\(name) \(steps)")
            }
        }
    }

    /// The lockstep groups' forward update takes an H-vector as whole chunks, then parts,
    /// where it holds a chunk and more than parts of one (`KernelEmitter.forwardPieces`); one
    /// sequence, and every backward update, keep the parts.
    @Test func forwardPiecesWhereAChunkAndMoreFit() throws {
        // (cell, H, bits, lanes of each piece, or nil)
        let cases: [(CellKind, Int, Int, [Int]?)] = [
            (.lstm, 20, 512, [16, 8]), (.gru, 20, 512, [16, 8]), (.gru, 40, 512, [16, 16, 8]),
            (.lstm, 16, 512, nil), (.lstm, 20, 256, nil), (.rnn, 20, 512, nil), (.lstm, 64, 512, nil),
        ]
        for (cell, h, bits, lanes) in cases {
            let spec = try KernelSpec(cell: cell, hiddenSize: h, inputSize: 1, scalar: .float, target: try KernelTarget(vectorBits: bits))
            let e = KernelEmitter(spec: spec, regenerate: spec.command)
            #expect(e.forwardPieces?.map(\.lanes) == lanes, "\(spec.typeName)")
            let source = KernelGenerator.source(for: spec)
            let groupStart = source.range(of: "private func forwardSteps\(spec.interleave)(")!.lowerBound
            let singleStart = source.range(of: "private func forwardSteps1(")!.lowerBound
            let group = String(source[groupStart..<singleStart]), single = String(source[singleStart...])
            #expect(group.contains("forwardPointwiseByChunks(") == (lanes != nil), "\(spec.typeName)")
            #expect(group.contains("forwardPointwise(") == (lanes == nil), "\(spec.typeName)")
            #expect(single.contains("forwardPointwise(") && !single.contains("forwardPointwiseByChunks("), "\(spec.typeName)")
            #expect(!source.contains("backwardPointwiseByChunks"), "\(spec.typeName)")
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

    /// The forward's chunk groups (see `KernelEmitter.forwardGroupChunks`): small gate groups
    /// take R/8 chunks even where they spill (4 + 4 of 8 with R = 32, 2 of 4 with R = 16), except
    /// 6 GRU chunks with R = 32, which take 3 + 3 (24 accumulators) instead of 4 + 2 (32); 4 and 5
    /// chunks take 4 first. Larger groups take as many as fit; one sequence takes R/2 accumulators' worth.
    @Test func forwardChunkGroupsFollowTheRegisterCount() throws {
        for (cell, h, bits, registers, sequences, expected) in [
            (CellKind.gru, 32, 512, 32, 4, 3), (.gru, 28, 512, 32, 4, 3), (.gru, 20, 512, 32, 4, 4), (.lstm, 16, 512, 32, 4, 4), (.rnn, 64, 512, 32, 4, 4),
            (.lstm, 32, 512, 32, 4, 4), (.lstm, 8, 256, 16, 4, 2), (.gru, 32, 256, 16, 3, 1), (.gru, 32, 512, 32, 1, 6),
            (.lstm, 64, 512, 32, 4, 5)] {
            let spec = try KernelSpec(cell: cell, hiddenSize: h, inputSize: h, scalar: .float,
                                      target: try KernelTarget(vectorBits: bits, registers: registers))
            let e = KernelEmitter(spec: spec, regenerate: spec.command)
            #expect(e.forwardGroupChunks(sequences: sequences) == expected, "\(spec.typeName) R\(registers) B\(sequences)")
        }
        let spec = try KernelSpec(cell: .gru, hiddenSize: 32, inputSize: 32, scalar: .float, target: try KernelTarget(vectorBits: 512, registers: 32))
        #expect(KernelGenerator.source(for: spec).contains("U·h_{t−1}, 3 chunks at a time"))
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
