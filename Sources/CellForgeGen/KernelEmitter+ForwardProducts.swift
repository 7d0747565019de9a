import CellForge

/// The forward matrix products z = b + W·x_t + U·h_{t−1}, shared by every forward path.
///
/// Per chunk and sequence, the order of operations is fixed here and nowhere else, so that
/// the lockstep groups, the single-sequence loop and the compact loops give the same bits:
/// accumulator z starts from b and takes W's columns j = 0..<D in order (it does not depend
/// on h, so it is ready early), then U·h_{t−1} over columns j = 0..<H in order, into z itself
/// or, where it stays apart (`splitsProducts`), into its own accumulator summed once.
extension KernelEmitter {
    /// U·h apart from b + W·x (an independent chain, summed once) when there are few chunks or
    /// the cell needs it apart.
    ///
    /// One chain per chunk, not a tree: splitting U·h over k accumulators summed in a fixed
    /// tree was measured and did not pay (256-bit, AMD Zen 4, load 10–12, medians of 25–41
    /// interleaved runs): k = 2 at LSTM H8 D8 took one sequence from 43.4 to 41.0 ns per step
    /// but N = 256 inference from 27.4 to 30.0 ns per sequence-step (the lockstep groups must
    /// take the same tree to stay bit-identical), and k = 2 or 4 at H16, H20 and H32 was slower
    /// in both (H16: 103.6 and 123.5 against 62.9 ns per step: fewer chunks per group, spills).
    var splitsProducts: Bool { cell.keepsRecurrentProductApart || layout.chunkCount <= 4 }

    /// z = b + W·x_t + U·h_{t−1} group by group, each loaded weight chunk feeding every
    /// sequence's accumulators, then the one activation over the gate lanes.
    ///
    /// Group size: see `forwardGroupChunks`.
    func emitForwardProducts(_ s: inout SourceWriter, sequences B: Int, hoisted: Bool) {
        let group = forwardGroupChunks(sequences: B)
        s.line("// z = " + (hoisted ? "(b + W·x_t from the block)" : "b + W·x_t") + " + U·h_{t−1}, \(group) chunks at a time; then " + (isCompact
            ? "one activation pass per gate block: \(activationSummary)."
            : "one activation per chunk: \(activationSummary)."))
        emitChunkGroups(&s, group: group) { s, offset, n in
            lower(forwardProducts(sequences: B, chunks: n, offset: offset, hoisted: hoisted), into: &s)
        }
        if isCompact { for b in 0..<B { emitActivationPass(&s, sequence: b) } }
    }

    /// Chunks the forward products take at a time, from the target's registers R: one sequence
    /// keeps R/2 accumulators in flight; several sequences keep g·B·a accumulators (a per chunk
    /// and sequence: 2 where U·h stays apart, else 1), g chunks and B broadcasts within R − 1
    /// registers (more spills to the stack every column). Small gate groups (≤ R/4 chunks) take
    /// R/8 chunks at a time even where their accumulators spill: measured 26.5 against
    /// 21 GFLOP/s at H8 D8 with R = 16 (2 chunks' 16 accumulators). One exception, measured on
    /// an Intel Xeon with AVX-512 (R = 32, N = 256, one binary, bits unchanged): where one chunk
    /// fewer splits the gate group evenly and fits, it is taken. That is 6 GRU chunks (2
    /// accumulators each) as 3 + 3, 24 accumulators, instead of 4 + 2, 32 (GRU H32 D32, and GRU
    /// H20 D1 when it padded to 32 lanes a gate: inference 1.02–1.08×, training 1.02–1.08×);
    /// 4 chunks as 3 + 1 was slower (LSTM H16 D16, RNN H64 D64: 0.89–0.96× inference), so they
    /// stay whole. Not taken either: 5 GRU chunks (H20 D1) as 3 + 2 against 4 + 1, training
    /// 1.01–1.04×, inference level; 6 LSTM chunks (H20 D1) as 3 + 3 against 4 + 2, inference
    /// 0.96–1.00×.
    func forwardGroupChunks(sequences B: Int) -> Int {
        let perChunk = forwardProducts(sequences: 1, chunks: 1, offset: { SymbolicOffset($0) }, hoisted: false).accumulators.count
        let (count, R) = (layout.chunkCount, spec.target.registers)
        if B == 1 { return min(count, max(1, spec.target.accumulatorBudget / perChunk)) }
        // The most chunks whose accumulators, chunks and broadcasts fit R − 1 registers.
        let fitting = max(1, (spec.target.freeRegisters - B) / (B * perChunk + 1))
        guard count <= R / 4 else { return min(count, fitting) }
        let group = min(count, R / 8)
        return group > 2 && group > fitting && count % (group - 1) == 0 && group - 1 <= fitting ? group - 1 : group
    }

    /// One chunk group of the forward products for B sequences in lockstep: n chunks at lane
    /// offsets `offset(i)`, accumulators from b (or, `hoisted`, from the block's b + W·x_t), the
    /// column loops (`forwardColumns`), then each chunk activated (or stored, in compact form).
    /// Hoisted, the GRU's z takes nothing more (U·h stays apart), so the lowering makes it a `let`.
    func forwardProducts(sequences B: Int, chunks n: Int, offset: (Int) -> SymbolicOffset, hoisted: Bool) -> ProductCode {
        var code = ProductCode()
        for b in 0..<B {
            for i in 0..<n {
                code.statements.append(.declare(.input(sequence: b, chunk: i),
                                                hoisted ? .blockProduct(sequence: b, offset(i)) : .parameter(.bias, offset(i))))
            }
        }
        if splitsProducts {
            for b in 0..<B { for i in 0..<n { code.statements.append(.declare(.recurrent(sequence: b, chunk: i), .zero)) } }
        }
        code.statements += forwardColumns(sequences: B, chunks: n, offset: offset, hoisted: hoisted)
        for b in 0..<B {
            for i in 0..<n {
                let registers: [Register] = [.input(sequence: b, chunk: i)] + (splitsProducts ? [.recurrent(sequence: b, chunk: i)] : [])
                let o = offset(i)
                code.statements.append(.finish(registers, isCompact ? .preactivation(sequence: b, o) : .activation(sequence: b, chunk: o.constant / w)))
            }
        }
        return code
    }

    /// The column loops: W·x_t into z (unless `hoisted`: b + W·x_t read from a block, see
    /// `emitInputProducts`), then U·h_{t−1} into z, or into r where it stays apart.
    func forwardColumns(sequences B: Int, chunks n: Int, offset: (Int) -> SymbolicOffset, hoisted: Bool) -> [ProductStatement] {
        /// One column: each sequence's broadcast, the n parameter chunks, the multiply-adds.
        func column(_ source: (Int) -> BroadcastSource, _ block: ParameterBlock, _ accumulator: (Int, Int) -> Register) -> ProductStatement {
            var body: [ProductStatement] = (0..<B).map { .declare(.broadcast($0), .broadcast(source($0))) }
            body += (0..<n).map { .declare(.column($0), .parameter(block, offset($0))) }
            for b in 0..<B { for i in 0..<n { body.append(.multiplyAdd(accumulator(b, i), .register(.column(i)), .broadcast(b))) } }
            return .loop(.columns(block == .inputColumn ? D : H), body)
        }
        var loops: [ProductStatement] = []
        if !hoisted { loops.append(column({ .input(sequence: $0) }, .inputColumn) { .input(sequence: $0, chunk: $1) }) }
        loops.append(column({ .previousHidden(sequence: $0) }, .recurrentColumn) {
            splitsProducts ? .recurrent(sequence: $0, chunk: $1) : .input(sequence: $0, chunk: $1)
        })
        return loops
    }
}
