import CellForge

/// The forward matrix products z = b + W·x_t + U·h_{t−1}, shared by every forward path.
///
/// Per chunk and sequence, the order of operations is fixed here and nowhere else, so that
/// the lockstep groups, the single-sequence loop and the compact loops give the same bits:
/// accumulator z starts from b and takes W's columns j = 0..<D in order (it does not depend
/// on h, so it is ready early), then U·h_{t−1} over columns j = 0..<H in order, into z itself
/// or, where it stays apart (`splitsProducts`), into its own accumulator summed once.
extension KernelEmitter {
    /// The accumulator of U·h for chunk accumulator i of sequence b: z itself, or a fresh "r"
    /// one where U·h stays apart (`splitsProducts`).
    ///
    /// One chain per chunk, not a tree: splitting U·h over k accumulators summed in a fixed
    /// tree was measured and did not pay (256-bit, AMD Zen 4, load 10–12, medians of 25–41
    /// interleaved runs): k = 2 at LSTM H8 D8 took one sequence from 43.4 to 41.0 ns per step
    /// but N = 256 inference from 27.4 to 30.0 ns per sequence-step (the lockstep groups must
    /// take the same tree to stay bit-identical), and k = 2 or 4 at H16, H20 and H32 was slower
    /// in both (H16: 103.6 and 123.5 against 62.9 ns per step: fewer chunks per group, spills).
    func recurrentAccumulator(_ b: Int, _ i: Int) -> String { splitsProducts ? "r\(b)_\(i)" : "z\(b)_\(i)" }

    /// U·h apart from b + W·x (an independent chain, summed once) when there are few chunks or
    /// the cell needs it apart.
    var splitsProducts: Bool { cell.keepsRecurrentProductApart || layout.chunkCount <= 4 }

    /// The whole pre-activation of accumulator i of sequence b (b + W·x + U·h).
    func preactivation(_ b: Int, _ i: Int) -> String { splitsProducts ? "z\(b)_\(i) + r\(b)_\(i)" : "z\(b)_\(i)" }

    /// z = b + W·x_t + U·h_{t−1} group by group, each loaded weight chunk feeding every
    /// sequence's accumulators, then the one activation over the gate lanes.
    ///
    /// Group size, from the target's registers R: one sequence keeps R/2 accumulators in
    /// flight; several sequences keep g·B·a accumulators (a per chunk and sequence), g chunks
    /// and B broadcasts within R − 1 registers (more spills to the stack every column), except
    /// that small gate groups (≤ R/4 chunks) take R/8 chunks at a time: measured 26.5 against
    /// 21 GFLOP/s at H8 D8 with R = 16.
    func emitForwardProducts(_ s: inout SourceWriter, sequences B: Int, hoisted: Bool) {
        let perChunk = splitsProducts ? 2 : 1
        let target = spec.target
        let group = B == 1 ? min(layout.chunkCount, max(1, target.accumulatorBudget / perChunk))
                  : layout.chunkCount <= target.registers / 4 ? min(layout.chunkCount, target.registers / 8)
                  : max(1, min(layout.chunkCount, (target.freeRegisters - B) / (B * perChunk + 1)))
        s.line("// z = " + (hoisted ? "(b + W·x_t from the block)" : "b + W·x_t") + " + U·h_{t−1}, \(group) chunks at a time; then " + (isCompact
            ? "one activation pass per gate block: \(activationSummary)."
            : "one activation per chunk: \(activationSummary)."))
        emitChunkGroups(&s, group: group) { s, offset, n in
            for b in 0..<B {
                for i in 0..<n {
                    // Hoisted, b + W·x_t comes from the block; the GRU adds nothing to it then.
                    let keyword = hoisted && cell.keepsRecurrentProductApart ? "let" : "var"
                    s.line("\(keyword) z\(b)_\(i) = " + (hoisted ? "chunk(zt\(b), \(offset(i)))" : "chunk(w, \(named("bias", offset(i))))"))
                }
            }
            for b in 0..<B {
                for i in 0..<n {
                    if splitsProducts { s.line("var r\(b)_\(i) = \(chunkType)()") }
                }
            }
            emitColumns(&s, sequences: B, chunks: n, offset: offset, hoisted: hoisted)
            for b in 0..<B {
                for i in 0..<n {
                    if isCompact { emitStorePreactivation(&s, offset: offset(i), sequence: b, accumulator: i) }
                    else { emitActivation(&s, chunk: Int(offset(i))! / w, sequence: b, accumulator: i) }
                }
            }
        }
        if isCompact { for b in 0..<B { emitActivationPass(&s, sequence: b) } }
    }

    /// The column loops: W·x_t into z (unless `hoisted`: b + W·x_t read from a block, see
    /// `emitInputProducts`), then U·h_{t−1} into `recurrentAccumulator`.
    func emitColumns(_ s: inout SourceWriter, sequences B: Int, chunks n: Int, offset: (Int) -> String, hoisted: Bool) {
        func column(_ s: inout SourceWriter, value: (Int) -> String, base: String, column j: String,
                    accumulator: (Int, Int) -> String) {
            for b in 0..<B { s.line("let v\(b) = \(chunkType)(repeating: \(value(b)))") }
            for i in 0..<n {
                s.line("let c\(i) = chunk(w, \([base, offset(i), "\(j) * Offset.lanes"].filter { $0 != "0" }.joined(separator: " + ")))")
            }
            for b in 0..<B { for i in 0..<n { let a = accumulator(b, i); s.line("\(a) = SIMDMath.madd(\(a), c\(i), v\(b))") } }
        }
        if !hoisted {
            s.block("for j in 0..<\(D)") { s in
                column(&s, value: { "xt\($0)[j]" }, base: "0", column: "j") { b, i in "z\(b)_\(i)" }
            }
        }
        /// h_{t−1}[j] of sequence b, from the previous record.
        func hidden(_ j: String) -> (Int) -> String { { b in "prev\(b)[\(named("h", j))]" } }
        s.block("for j in 0..<\(H)") { s in
            column(&s, value: hidden("j"), base: "Offset.recurrentColumns", column: "j") { b, i in recurrentAccumulator(b, i) }
        }
    }
}
