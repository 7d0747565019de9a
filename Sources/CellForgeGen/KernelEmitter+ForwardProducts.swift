import CellForge

/// The forward matrix products z = b + W·x_t + U·h_{t−1}, shared by every forward path.
///
/// Per chunk and sequence, the order of operations is fixed here and nowhere else, so that
/// the lockstep groups, the single-sequence loop and the compact loops give the same bits:
/// accumulator z starts from b and takes W's columns j = 0..<D in order (it does not depend
/// on h, so it is ready early), then U·h is split over `recurrentTree` accumulators, column
/// j going to accumulator j mod k (z itself first, or fresh ones where U·h stays apart:
/// `splitsProducts`), summed at the end in a fixed tree.
extension KernelEmitter {
    /// Independent accumulators of U·h per chunk: the dependent chain through h_{t−1}
    /// shrinks from H to about H/k multiply-adds plus log₂k additions.
    ///
    /// k = 1: no tree paid here. Measured at 256 bits, k = 2 against k = 1 (AMD Zen 4, load
    /// 10–12, medians of 25–41 interleaved runs): LSTM H8 D8 one sequence 41.0 against 43.4 ns
    /// per step, but N = 256 inference 30.0 against 27.4 ns per sequence-step (the lockstep
    /// groups must take the same tree); k = 2 and 4 at H16, H20 and H32 were slower in both
    /// (H16 103.6 and 123.5 against 62.9 ns per step: fewer chunks per group, spills).
    var recurrentTree: Int { 1 }

    /// Accumulator names of U·h for chunk accumulator i of sequence b: "z" first for cells
    /// that sum U·h into z, else k fresh "r" ones.
    func recurrentAccumulators(_ b: Int, _ i: Int) -> [String] {
        let k = recurrentTree
        if k == 1 { return [splitsProducts ? "r\(b)_\(i)" : "z\(b)_\(i)"] }
        if cell.keepsRecurrentProductApart { return (0..<k).map { "r\(b)_\(i)_\($0)" } }
        return ["z\(b)_\(i)"] + (1..<k).map { "r\(b)_\(i)_\($0)" }
    }

    /// With one accumulator: U·h apart from b + W·x (an independent chain, summed once) when
    /// there are few chunks or the cell needs it apart.
    var splitsProducts: Bool { cell.keepsRecurrentProductApart || layout.chunkCount <= 4 }

    /// The fixed summation tree over accumulators, pairs first: (a0 + a1) + (a2 + a3).
    func treeSum(_ names: [String]) -> String {
        var level = names
        while level.count > 2 {
            level = stride(from: 0, to: level.count, by: 2).map { q in
                q + 1 < level.count ? "(\(level[q]) + \(level[q + 1]))" : level[q]
            }
        }
        return level.joined(separator: " + ")
    }

    /// The whole pre-activation of accumulator i of sequence b (b + W·x + U·h).
    func preactivation(_ b: Int, _ i: Int) -> String {
        let names = recurrentAccumulators(b, i)
        if names[0].hasPrefix("z") { return treeSum(names) }
        return "z\(b)_\(i) + " + (names.count > 1 ? "(\(treeSum(names)))" : names[0])
    }

    /// U·h of accumulator i of sequence b, for cells that keep it apart.
    func recurrentSum(_ b: Int, _ i: Int) -> String { treeSum(recurrentAccumulators(b, i)) }

    /// z = b + W·x_t + U·h_{t−1} group by group, each loaded weight chunk feeding every
    /// sequence's accumulators, then the one activation over the gate lanes.
    ///
    /// Group size, from the target's registers R: one sequence keeps R/2 accumulators in
    /// flight; several sequences keep g·B·a accumulators (a per chunk and sequence), g chunks
    /// and B broadcasts within R − 1 registers (more spills to the stack every column), except
    /// that small gate groups (≤ R/4 chunks) take R/8 chunks at a time: measured 26.5 against
    /// 21 GFLOP/s at H8 D8 with R = 16.
    func emitForwardProducts(_ s: inout SourceWriter, sequences B: Int, hoisted: Bool) {
        let k = recurrentTree
        let perChunk = recurrentAccumulators(0, 0).count + (recurrentAccumulators(0, 0)[0].hasPrefix("z") ? 0 : 1)
        let target = spec.target
        let group = B == 1 ? min(layout.chunkCount, max(1, target.accumulatorBudget / perChunk))
                  : layout.chunkCount <= target.registers / 4 ? min(layout.chunkCount, target.registers / 8)
                  : max(1, min(layout.chunkCount, (target.freeRegisters - B) / (B * perChunk + 1)))
        s.line("// z = " + (hoisted ? "(b + W·x_t from the block)" : "b + W·x_t") + " + U·h_{t−1}, \(group) chunks at a time\(k > 1 ? ", U·h over \(k) accumulators" : ""); then " + (isCompact
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
                    for acc in recurrentAccumulators(b, i) where acc.hasPrefix("r") { s.line("var \(acc) = \(chunkType)()") }
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
    /// `emitInputProducts`), then U·h_{t−1} with column j into accumulator j mod k (whole
    /// rounds of k columns in a loop, the last H mod k columns after it).
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
        let k = recurrentTree, whole = H - H % k
        if whole > 0 {
            s.block(k == 1 ? "for j in 0..<\(H)" : "for j0 in stride(from: 0, to: \(whole), by: \(k))") { s in
                for q in 0..<k {
                    let j = k == 1 ? "j" : q == 0 ? "j0" : "(j0 + \(q))"
                    func body(_ s: inout SourceWriter) {
                        column(&s, value: hidden(j), base: "Offset.recurrentColumns", column: j) { b, i in recurrentAccumulators(b, i)[q] }
                    }
                    if k == 1 { body(&s) } else { s.block("do") { body(&$0) } }
                }
            }
        }
        for j in whole..<H {
            s.block("do") { s in
                column(&s, value: hidden("\(j)"), base: "Offset.recurrentColumns", column: "\(j)") { b, i in recurrentAccumulators(b, i)[j % k] }
            }
        }
    }
}
