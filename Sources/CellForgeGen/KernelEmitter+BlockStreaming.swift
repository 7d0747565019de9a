import CellForge

/// Block streaming for one sequence: z_t = b + W·x_t for a block of steps first, as a
/// register-tiled product in which each loaded W chunk serves several steps, then the
/// recurrence with U·h_{t−1} only, reading z_t back. Kernels with large weights only
/// (`streamsBlocks`), and calls of one sequence of at least `tileSteps` steps; shorter calls and
/// the lockstep groups keep W·x_t in the step.
///
/// Per element the operations and their order are those of the per-step path (b, then W's
/// columns j = 0..<D in order, then U·h as `forwardColumns` adds it), so a call of length T gives
/// the same bits as T calls of length 1 and as the lockstep groups.
///
/// Where z_t goes: with a tape, into the step's gate deltas (deltaStride ≥ P scalars, written
/// by backward before it reads them), so the tape size is unchanged; for inference, into
/// `blockSteps` × P scalars (at most 4,096) added to the temporary allocation after the lone
/// sequence's ring.
extension KernelEmitter {
    /// Steps per block: as many as fit in 4,096 scalars of z (16 KB of Float, half of a
    /// 32 KB L1 data cache), from 1 to 32.
    var blockSteps: Int { max(1, min(32, 4096 / P)) }

    /// Steps of one register tile of the block product.
    static let tileSteps = 4

    /// Chunks of one register tile: tile steps × chunks accumulators, the chunks and the
    /// broadcasts of one column within the free registers, and a divisor of the chunk count.
    var tileChunks: Int {
        let fit = max(1, (spec.target.freeRegisters - Self.tileSteps) / (Self.tileSteps + 1))
        return (1...min(fit, layout.chunkCount)).last { layout.chunkCount % $0 == 0 }!
    }

    /// Named offsets of block streaming (its products follow the lone sequence's ring, at
    /// `Offset.inferenceRing`).
    var blockOffsets: [NamedOffset] {
        [NamedOffset(name: "blockSteps", value: blockSteps, doc: "steps of one block whose W·x_t + b is computed ahead")]
    }

    /// Scalars of one sequence's inference ring: two records, then the only scratch a forward
    /// uses, the products a cell keeps apart (the GRU's W·x_t + b and U·h_{t−1}, from
    /// `Scratch.inputProduct`), so that a lone sequence's ring stays within the 1 KiB that
    /// `withUnsafeTemporaryAllocation` always takes from the stack for as many sizes as possible.
    /// In a ring the scratch pointer lies `Scratch.inputProduct` before the end of the records
    /// (emitted under the same condition): the backward's carried δ in front of the products
    /// is never touched there.
    var inferenceRing: Int {
        let products = Scratch.recurrentProduct(layout) + P - Scratch.inputProduct(layout)
        return 2 * recordStride + (cell.keepsRecurrentProductApart ? products : 0)
    }

    /// The block product: z_s = b + W·x_s for `steps` steps of input from `x`, z_s at
    /// `z + s * zStride`, tiles of `tileSteps` steps, the last steps one at a time.
    func emitInputProducts(_ s: inout SourceWriter) {
        let g = tileChunks, S = Self.tileSteps
        s.line()
        s.line("/// z_s = b + W·x_s for `steps` steps, z_s at `z + s * zStride`: tiles of \(S) steps × \(g) chunks, each W chunk serving \(S) steps.")
        s.block("private func inputProducts(_ w: UnsafePointer<\(scalar)>, _ x: UnsafePointer<\(scalar)>, _ steps: Int,\n                               _ z: UnsafeMutablePointer<\(scalar)>, _ zStride: Int)") { s in
            emitStridedLoop(&s, "k0", counter: "chunkGroup", to: layout.chunkCount / g, step: g * w) { s in
                s.line("var s0 = 0")
                for (n, test) in [(S, "s0 + \(S) <= steps"), (1, "s0 < steps")] where n == S || S > 1 {
                    s.block("while \(test)") { s in
                        lower(inputProducts(steps: n, chunks: g), into: &s)
                        s.line("s0 += \(n)")
                    }
                }
            }
        }
    }
}

extension KernelEmitter {
    /// One register tile of the block product: z_{s0+q} = b + W·x_{s0+q} for `steps` steps q
    /// and `chunks` chunks at lane offsets k0, k0 + w, …, each W chunk loaded once per column
    /// and serving every step.
    func inputProducts(steps n: Int, chunks g: Int) -> ProductCode {
        let offset = { (i: Int) in SymbolicOffset("k0", plus: i * self.w) }
        var code = ProductCode()
        for q in 0..<n { for i in 0..<g { code.statements.append(.declare(.block(step: q, chunk: i), .parameter(.bias, offset(i)))) } }
        var body: [ProductStatement] = (0..<g).map { .declare(.column($0), .parameter(.inputColumn, offset($0))) }
        body += (0..<n).map { .declare(.broadcast($0), .broadcast(.blockInput(step: $0))) }
        for q in 0..<n { for i in 0..<g { body.append(.multiplyAdd(.block(step: q, chunk: i), .register(.column(i)), .broadcast(q))) } }
        code.statements.append(.loop(.columns(D), body))
        for q in 0..<n { for i in 0..<g { code.statements.append(.finish([.block(step: q, chunk: i)], .blockStep(q, offset(i)))) } }
        return code
    }

    /// Whether the kernel streams blocks: where its weights (more than 64 KiB) no longer stay
    /// in a 32 KiB L1 data cache from step to step. Measured on an AMD Zen 4 (load 10,
    /// medians of 25 interleaved runs, one sequence of 64 steps per call), ns per step before
    /// and after: LSTM H64 D64 2426 → 1912 (256-bit), 2412 → 1412 (512-bit); GRU H64 D64
    /// 1354 → 1020, 1183 → 678. Below that it did not pay: LSTM H32 D32 (33 KB) 200 → 206 and
    /// 104 → 117, LSTM H16 D16 62 → 77, GRU H32 D32 (512-bit) 89 → 103.
    var streamsBlocks: Bool { layout.parameterStorageCount * spec.scalar.bits / 8 > 64 * 1024 }

    /// The block loop of one sequence around `step` (which reads z_t at `zt0`).
    func emitBlockLoop(_ s: inout SourceWriter, step: (inout SourceWriter) -> Void) {
        s.line("// Blocks of steps: W·x_t + b for the block first, then the recurrence (with a tape, z_t lies in step t's deltas).")
        s.line("let products = ring ? tapes + Offset.inferenceRing : tape0 + (batch.length + 1) * Offset.recordStride")
        s.line("let productStride = ring ? Offset.lanes : Offset.deltaStride")
        s.line("var t0 = 0")
        s.block("while t0 < batch.length") { s in
            s.line("let steps = min(Offset.blockSteps, batch.length - t0), block = ring ? products : products + t0 * productStride")
            s.line("inputProducts(w, x0 + t0 * Offset.inputStep, steps, block, productStride)")
            s.block("for t in t0..<t0 + steps", step)
            s.line("t0 += steps")
        }
    }
}
