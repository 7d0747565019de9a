import CellForge

/// The backward's transposed products from transposed copies of U and W.
///
/// The parameters hold U and W column by column, so Uᵀ·δz read from them is one dot product
/// per column, each ending in a transposing reduction (shuffles that compete with the
/// multiply-adds for the vector ports). A backward call that copies U (and W) row by row
/// first (row r = U[r, ·], Hp lanes, padding zero) computes δh_{t−1} = Σ_r δz_t[r]·U[r, ·]
/// instead: one broadcast of δz_t[r] and one multiply-add per row and part, no reduction.
/// The copies live on the stack (`StackScratch`) for the call, so kernels use them where
/// they fit in `StackScratch.maximumBytes`; the copy costs G·H·(H + D) scalar moves per
/// call, against T steps of G·H·(H + D) multiply-adds per sequence.
extension KernelEmitter {
    /// Rows of a transposed copy: the gate lanes (padding lanes past them hold zero δz).
    var transposedRows: Int { layout.gateLaneCount }

    /// Whether copies with rows of `width` scalars fit the stack scratch.
    func copiesFit(width: Int) -> Bool {
        transposedRows * width * spec.scalar.bits / 8 <= StackScratch.maximumBytes
    }

    /// Whether Uᵀ·δz reads a transposed copy of U: parts are vectors (H > 2), and the copy
    /// fits the stack scratch.
    var transposesRecurrent: Bool { layout.partWidth > 1 && copiesFit(width: layout.paddedHidden) }

    /// Whether δx_t = Wᵀ·δz reads a transposed copy of W as well: D whole parts, and both
    /// copies fit the stack scratch.
    var transposesInput: Bool {
        transposesRecurrent && D % layout.partWidth == 0 && copiesFit(width: layout.paddedHidden + D)
    }

    /// Named offsets of the transposed copies (only in kernels that use them).
    var transposedOffsets: [NamedOffset] {
        guard transposesRecurrent else { return [] }
        let input = transposesInput
        let count = NamedOffset(name: "transposedCount", value: transposedRows * (layout.paddedHidden + (input ? D : 0)),
                                doc: "scalars of the backward's transposed copies of U\(input ? " and W" : "") (on the stack)")
        guard input else { return [count] }
        return [NamedOffset(name: "transposedInput", value: transposedRows * layout.paddedHidden,
                            doc: "the copy of W, row by row (D scalars a row), after that of U (Hp a row) in the transposed copies"),
                count]
    }

    /// Wraps the backward's step loop in the stack scratch that holds the transposed copies,
    /// filled first; without them, just the step loop.
    func withTransposedCopies(_ s: inout SourceWriter, _ body: (inout SourceWriter) -> Void) {
        guard transposesRecurrent else { return body(&s) }
        let Hp = layout.paddedHidden
        s.block("StackScratch.with(\(scalar).self, capacity: Offset.transposedCount)") { s in
            s.line("let transposed = $0")
            s.line("// Row r of the copies: U[r, ·] (padded to Hp with zeros)\(transposesInput ? ", then W[r, ·]" : "").")
            s.block("for r in 0..<\(transposedRows)") { s in
                s.line("for j in 0..<\(H) { transposed[r * \(Hp) + j] = w[Offset.recurrentColumns + j * Offset.lanes + r] }")
                if Hp > H { s.line("for j in \(H)..<\(Hp) { transposed[r * \(Hp) + j] = 0 }") }
                if transposesInput {
                    s.line("for j in 0..<\(D) { transposed[Offset.transposedInput + r * \(D) + j] = w[j * Offset.lanes + r] }")
                }
            }
            body(&s)
        }
    }

    /// out_b = Σ_r δz_b[r] · row r of a transposed copy, for each sequence b of `sequences`
    /// (names of its step's deltas) and each of `width / partWidth` parts: per part and
    /// sequence `splits` accumulators take every splits-th row (shorter dependency chains),
    /// summed in a fixed tree at the end. `copy` is the copy's base ("transposed" or
    /// "transposed + Offset.transposedInput"), `width` its row length, `deltas` the δz block;
    /// `store(b, offset, value)` writes sequence b's part at lane offset `offset`.
    func emitBroadcastProduct(_ s: inout SourceWriter, copy: String, width: Int, deltas: DeltaBlock, sequences: [String],
                              store: (Int, String, String) -> [String]) {
        let pw = layout.partWidth, parts = width / pw, B = sequences.count
        // The same split for one sequence as for a lockstep group, so that both sum alike.
        let splits = max(2, min(4, spec.target.accumulatorBudget / interleave))
        let full = transposedRows / splits * splits
        for (b, deltasName) in sequences.enumerated() {
            s.line("let dz\(b) = \(deltasName) + (t - 1) * Offset.deltaStride + Offset.\(deltas.name)")
        }
        func part(_ s: inout SourceWriter, offset m: String) {
            let lane = m == "0" ? "" : " + \(m)"
            for b in 0..<B {
                s.line((0..<splits).map { "var a\(b)_\($0) = \(partType)()" }.joined(separator: "; "))
            }
            func row(_ s: inout SourceWriter, _ r: String, into k: Int) {
                let row = r.contains(" ") ? "(\(r))" : r
                s.line("let u\(k) = part(\(copy), \(row) * \(width)\(lane))")
                for b in 0..<B {
                    s.line("a\(b)_\(k) = SIMDMath.madd(a\(b)_\(k), u\(k), \(partType)(repeating: dz\(b)[\(r)]))")
                }
            }
            if full > 0 {
                s.block("for r in stride(from: 0, to: \(full), by: \(splits))") { s in
                    for k in 0..<splits { row(&s, k == 0 ? "r" : "r + \(k)", into: k) }
                }
            }
            for (k, r) in (full..<transposedRows).enumerated() { row(&s, "\(r)", into: k) }
            for b in 0..<B {
                var terms = (0..<splits).map { "a\(b)_\($0)" }
                while terms.count > 1 {
                    terms = stride(from: 0, to: terms.count, by: 2).map { i in
                        i + 1 < terms.count ? "(\(terms[i]) + \(terms[i + 1]))" : terms[i]
                    }
                }
                let sum = terms[0].hasPrefix("(") ? String(terms[0].dropFirst().dropLast()) : terms[0]
                s.lines(store(b, m, sum))
            }
        }
        if parts == 1 {
            s.block("do") { s in part(&s, offset: "0") }
        } else {
            s.block("for m in 0..<\(parts)") { s in part(&s, offset: "m * \(pw)") }
        }
    }
}
