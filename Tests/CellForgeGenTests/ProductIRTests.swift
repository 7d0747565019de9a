import CellForge
@testable import CellForgeGen
import Testing

/// The typed form of the matrix products: the lowering writes the expected Swift text (written
/// out by hand here), and what a piece of product code keeps and reads comes from the form.
@Suite struct ProductIRTests {
    func emitter(_ cell: CellKind, _ h: Int, _ d: Int) throws -> KernelEmitter {
        let spec = try KernelSpec(cell: cell, hiddenSize: h, inputSize: d, scalar: .float, target: .avx2)
        return KernelEmitter(spec: spec, regenerate: spec.command)
    }

    func lowered(_ e: KernelEmitter, _ code: ProductCode) -> String {
        var s = SourceWriter()
        e.lower(code, into: &s)
        return s.text
    }

    @Test func symbolicOffsetsRenderWithoutZeroTerms() {
        #expect(SymbolicOffset(0).text == "0")
        #expect(SymbolicOffset(16).text == "16")
        #expect(SymbolicOffset("k0").text == "k0")
        #expect(SymbolicOffset("k0", plus: 8).text == "k0 + 8")
    }

    /// LSTM H8 D8 at 256 bits: 4 chunks of 8, so U·h stays apart; chunk 1 holds gate i (σ).
    @Test func oneChunkOfOneSequenceLowersToTheStepCode() throws {
        let e = try emitter(.lstm, 8, 8)
        let code = e.forwardProducts(sequences: 1, chunks: 1, offset: { _ in SymbolicOffset(8) }, hoisted: false)
        #expect(code.parameterLaneVariable == nil, "constant offsets read w directly")
        #expect(lowered(e, code) == """
            var z0_0 = chunk(w, Offset.bias + 8)
            var r0_0 = SIMD8<Float>()
            for j in 0..<8 {
                let v0 = SIMD8<Float>(repeating: xt0[j])
                let c0 = chunk(w, 8 + j * Offset.lanes)
                z0_0 = SIMDMath.madd(z0_0, c0, v0)
            }
            for j in 0..<8 {
                let v0 = SIMD8<Float>(repeating: prev0[Offset.h + j])
                let c0 = chunk(w, Offset.recurrentColumns + 8 + j * Offset.lanes)
                r0_0 = SIMDMath.madd(r0_0, c0, v0)
            }
            put(SIMDMath.sigmoid(z0_0 + r0_0), cur0, Offset.gates + 8)

            """)
        #expect(code.accumulators == [.input(sequence: 0, chunk: 0), .recurrent(sequence: 0, chunk: 0)])
        #expect(code.broadcastSources == [.input(sequence: 0), .previousHidden(sequence: 0)])
        #expect(code.parameterBlocks == [.bias, .inputColumn, .recurrentColumn])
        #expect(code.readsPreviousRecord)
    }

    /// Two sequences in lockstep share each loaded weight chunk: one c per chunk, one v per sequence.
    @Test func lockstepSequencesShareEachWeightChunk() throws {
        let e = try emitter(.lstm, 8, 8)
        let code = e.forwardProducts(sequences: 2, chunks: 2, offset: { SymbolicOffset($0 * 8) }, hoisted: false)
        #expect(code.accumulators.count == 8, "z and r for 2 sequences × 2 chunks")
        let text = lowered(e, code)
        #expect(text.components(separatedBy: "let c0 = ").count - 1 == 2, "one load of chunk 0 per column loop")
        #expect(text.contains("z1_1 = SIMDMath.madd(z1_1, c1, v1)") && text.contains("r1_1 = SIMDMath.madd(r1_1, c1, v1)"))
        #expect(code.broadcastSources == [.input(sequence: 0), .input(sequence: 1),
                                          .previousHidden(sequence: 0), .previousHidden(sequence: 1)])
    }

    /// LSTM H32 D32 at 256 bits: 16 chunks, compact and U·h into z itself; parameter chunks are
    /// read through `wk` = w + k0 (declared first, so the column loops index with constants and
    /// j alone), the stores carry k0, and the pre-activation is stored for the activation pass.
    @Test func compactGroupsUseTheLoopOffsetAndOneAccumulatorPerChunk() throws {
        let e = try emitter(.lstm, 32, 32)
        #expect(e.isCompact && !e.splitsProducts)
        let code = e.forwardProducts(sequences: 1, chunks: 2, offset: { SymbolicOffset("k0", plus: $0 * 8) }, hoisted: false)
        #expect(code.accumulators == [.input(sequence: 0, chunk: 0), .input(sequence: 0, chunk: 1)])
        let text = lowered(e, code)
        #expect(code.parameterLaneVariable == SymbolicOffset("k0"))
        #expect(text.hasPrefix("let wk = w + k0 // the parameters from this group's first lane on\nvar z0_0 = chunk(wk, Offset.bias)\n"))
        #expect(text.contains("let c1 = chunk(wk, Offset.recurrentColumns + 8 + j * Offset.lanes)"))
        #expect(!text.contains("chunk(w,"), "every parameter chunk through wk")
        #expect(text.contains("z0_1 = SIMDMath.madd(z0_1, c1, v0)\n"))
        #expect(text.hasSuffix("put(z0_0, cur0, Offset.gates + k0)\nput(z0_1, cur0, Offset.gates + k0 + 8)\n"))
    }

    /// GRU with b + W·x_t from the block: z is read, never accumulated, so it is a `let`, and
    /// only U·h's accumulator r remains; no W column is loaded.
    @Test func hoistedProductsKeepOnlyTheRecurrentAccumulator() throws {
        let e = try emitter(.gru, 8, 8)
        let code = e.forwardProducts(sequences: 1, chunks: 1, offset: { _ in SymbolicOffset(0) }, hoisted: true)
        #expect(code.accumulators == [.recurrent(sequence: 0, chunk: 0)])
        #expect(code.parameterBlocks == [.recurrentColumn])
        #expect(code.broadcastSources == [.previousHidden(sequence: 0)])
        let text = lowered(e, code)
        #expect(text.hasPrefix("let z0_0 = chunk(zt0, 0)\nvar r0_0 = SIMD8<Float>()\nfor j in 0..<8 {\n"))
    }

    /// The block product's tile: two steps share each W chunk, and it never reads h_{t−1}; the
    /// pointers the column loop indexes (parameters at k0, each step's input) come first.
    @Test func blockProductTileLowersToTheTileCode() throws {
        let e = try emitter(.lstm, 8, 8)
        let code = e.inputProducts(steps: 2, chunks: 1)
        #expect(code.blockInputSteps == [0, 1])
        #expect(lowered(e, code) == """
            let wk = w + k0 // the parameters from this group's first lane on
            let xs0 = x + s0 * Offset.inputStep
            let xs1 = x + (s0 + 1) * Offset.inputStep
            var a0_0 = chunk(wk, Offset.bias)
            var a1_0 = chunk(wk, Offset.bias)
            for j in 0..<8 {
                let c0 = chunk(wk, j * Offset.lanes)
                let v0 = SIMD8<Float>(repeating: xs0[j])
                let v1 = SIMD8<Float>(repeating: xs1[j])
                a0_0 = SIMDMath.madd(a0_0, c0, v0)
                a1_0 = SIMDMath.madd(a1_0, c0, v1)
            }
            put(a0_0, z, s0 * zStride + k0)
            put(a1_0, z, (s0 + 1) * zStride + k0)

            """)
        #expect(code.accumulators == [.block(step: 0, chunk: 0), .block(step: 1, chunk: 0)])
        #expect(code.broadcastSources == [.blockInput(step: 0), .blockInput(step: 1)])
        #expect(code.parameterBlocks == [.bias, .inputColumn])
        #expect(!code.readsPreviousRecord)
    }

    /// δU for two columns of a pass and one chunk: gradient chunks loaded once, Σ_t in
    /// registers, one δ chunk load serving both columns, stored back once.
    @Test func outerProductPassLowersToTheGradientCode() throws {
        let e = try emitter(.lstm, 8, 8)
        let code = e.outerProducts(columns: [SymbolicOffset("j"), SymbolicOffset("j", plus: 1)], chunks: 1,
                                   offset: { SymbolicOffset($0 * 8) }, block: .recurrentColumn, deltas: .gates) {
            .stepPreviousHidden(column: $0)
        }
        #expect(lowered(e, code) == """
            var a0_0 = chunk(g, Offset.recurrentColumns + j * Offset.lanes)
            var a1_0 = chunk(g, Offset.recurrentColumns + (j + 1) * Offset.lanes)
            for t in 0..<length {
                let d = deltas + t * Offset.deltaStride
                let d0 = chunk(d, Offset.gateDeltas)
                let v0 = SIMD8<Float>(repeating: tape[t * Offset.recordStride + Offset.h + j])
                a0_0 = SIMDMath.madd(a0_0, d0, v0)
                let v1 = SIMD8<Float>(repeating: tape[t * Offset.recordStride + Offset.h + j + 1])
                a1_0 = SIMDMath.madd(a1_0, d0, v1)
            }
            put(a0_0, g, Offset.recurrentColumns + j * Offset.lanes)
            put(a1_0, g, Offset.recurrentColumns + (j + 1) * Offset.lanes)

            """)
        #expect(code.accumulators == [.gradient(column: 0, chunk: 0), .gradient(column: 1, chunk: 0)])
        #expect(code.readsPreviousRecord && code.parameterBlocks.isEmpty)
    }

    /// δb: `+=` makes its registers accumulators too (declared `var`); δW reads x_t, not h_{t−1}.
    @Test func biasGradientAccumulatesByAddition() throws {
        let e = try emitter(.lstm, 8, 8)
        let code = e.biasGradient(chunks: 2, offset: { SymbolicOffset("k0", plus: $0 * 8) })
        #expect(code.accumulators == [.biasGradient(0), .biasGradient(1)])
        #expect(lowered(e, code) == """
            var b0 = chunk(g, Offset.bias + k0)
            var b1 = chunk(g, Offset.bias + k0 + 8)
            for t in 0..<length {
                let d = deltas + t * Offset.deltaStride
                b0 += chunk(d, Offset.gateDeltas + k0)
                b1 += chunk(d, Offset.gateDeltas + k0 + 8)
            }
            put(b0, g, Offset.bias + k0)
            put(b1, g, Offset.bias + k0 + 8)

            """)
        let inputGradient = e.outerProducts(columns: [SymbolicOffset("j")], chunks: 1, offset: { SymbolicOffset($0 * 8) },
                                            block: .inputColumn, deltas: .gates) { .stepInput(column: $0) }
        #expect(!inputGradient.readsPreviousRecord && inputGradient.broadcastSources == [.stepInput(column: SymbolicOffset("j"))])
        #expect(lowered(e, inputGradient).hasPrefix("var a0_0 = chunk(g, j * Offset.lanes)\n"))
    }

    /// Uᵀ·δz for a group of 4 columns with 3 in use: the 4th accumulator is never accumulated
    /// into, so it is a `let`; each U chunk is loaded in place.
    @Test func transposedProductGroupLowersToTheDotProducts() throws {
        let e = try emitter(.lstm, 8, 8)
        let code = e.transposedProduct(block: .recurrentColumn, deltas: .gates, columns: { SymbolicOffset("m", times: 4, plus: $0) },
                                       width: 4, lanes: 3)
        #expect(lowered(e, code) == """
            var q0 = SIMD8<Float>()
            var q1 = SIMD8<Float>()
            var q2 = SIMD8<Float>()
            let q3 = SIMD8<Float>()
            for k in 0..<4 {
                let d = chunk(delta, Offset.gateDeltas + k * 8)
                q0 = SIMDMath.madd(q0, chunk(w, Offset.recurrentColumns + (m * 4) * Offset.lanes + k * 8), d)
                q1 = SIMDMath.madd(q1, chunk(w, Offset.recurrentColumns + (m * 4 + 1) * Offset.lanes + k * 8), d)
                q2 = SIMDMath.madd(q2, chunk(w, Offset.recurrentColumns + (m * 4 + 2) * Offset.lanes + k * 8), d)
            }

            """)
        #expect(code.accumulators == [.dot(0), .dot(1), .dot(2)])
        #expect(code.parameterBlocks == [.recurrentColumn] && !code.readsPreviousRecord)
        let first = e.transposedProduct(block: .inputColumn, deltas: .gates, columns: { SymbolicOffset($0) }, width: 2, lanes: 2)
        #expect(lowered(e, first).contains("q0 = SIMDMath.madd(q0, chunk(w, k * 8), d)\n    q1 = SIMDMath.madd(q1, chunk(w, 1 * Offset.lanes + k * 8), d)\n"))
    }

    /// Reductions at 256 bits (8 lanes): 4 accumulators fold in pairs, then in halves to 4
    /// lanes; a full group of 8 is staged for the transposed sum; one folds in halves alone.
    @Test func reductionsFoldOrStage() throws {
        let e = try emitter(.lstm, 8, 8)
        func text(_ n: Int) -> (String, String) {
            let (statements, result) = e.reduction((0..<n).map { .dot($0) })
            return (lowered(e, ProductCode(statements: statements)), e.render(result))
        }
        let (four, fourResult) = text(4)
        #expect(four == "let s0 = SIMDMath.foldPairs(q0, q1)\nlet s1 = SIMDMath.foldPairs(q2, q3)\nlet s2 = SIMDMath.foldPairs(s0, s1)\n")
        #expect(fourResult == "SIMDMath.foldHalves(s2)")
        let (eight, eightResult) = text(8)
        #expect(eight.hasPrefix("put(q0, scratch, Offset.reduction)\nput(q1, scratch, Offset.reduction + 8)\n"))
        #expect(eight.hasSuffix("put(q7, scratch, Offset.reduction + 56)\n"))
        #expect(eightResult == "SIMDMath.transposedSum(scratch + Offset.reduction, as: SIMD8<Float>.self)")
        let (one, oneResult) = text(1)
        #expect(one.isEmpty && oneResult == "SIMDMath.foldHalves(SIMDMath.foldHalves(SIMDMath.foldHalves(q0)))")
    }
}
