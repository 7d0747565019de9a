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

    /// A slice of a transposed copy's row that one accumulator holds: `lanes` lanes from
    /// lane `offset`, read with `load` ("chunk" or "part").
    struct RowPiece {
        let offset: Int
        let lanes: Int
        let load: String
    }

    /// A row of `width` lanes as whole chunks, then parts for the rest (24 lanes at 512 bits
    /// with parts of 8: a 16-lane chunk and an 8-lane part, two multiply-adds a row where
    /// parts alone take three).
    func rowPieces(width: Int) -> [RowPiece] {
        var pieces: [RowPiece] = [], offset = 0
        while width - offset >= layout.chunkWidth {
            pieces.append(RowPiece(offset: offset, lanes: layout.chunkWidth, load: layout.chunkWidth == layout.partWidth ? "part" : "chunk"))
            offset += layout.chunkWidth
        }
        while offset < width {
            pieces.append(RowPiece(offset: offset, lanes: layout.partWidth, load: "part"))
            offset += layout.partWidth
        }
        return pieces
    }

    /// How a broadcast product over `pieces` row pieces is blocked, from the target's
    /// registers R and the interleave I: pieces are taken `group` at a time (as even groups
    /// as possible), the most for which two accumulators per piece and sequence, the group's
    /// row loads and a broadcast fit in R (I·g·2 + g + 1 ≤ R), so one broadcast of δz[r]
    /// feeds every piece of the group; each piece and sequence then splits the rows over
    /// `splits` accumulators (shorter chains): as many as fit, at most
    /// max(2, min(4, (R/2)/I)), the split a single piece always took.
    ///
    /// Measured on an Intel Xeon with AVX-512 (R = 32, I = 4, one probe binary, N = 12
    /// sequences a call as the batch driver cuts them, T = 64, fastest of 15 × 8 calls, ns
    /// per sequence-step, forward + backward with δx): LSTM H20 D1 at 512 bits (rows of 24
    /// lanes) took 296 with three 8-lane parts one at a time and padding rows, 285 without
    /// the padding rows, 265 with a 16-lane chunk and an 8-lane part one at a time, 251 with
    /// both in one loop and 3 accumulators each (this rule), 247 with 2. Against the kernels
    /// before this rule (parts one at a time, padding rows included), same probe, training:
    /// at 512 bits GRU H20 D1 1.15×, LSTM H32 D32 1.07–1.09×, GRU H32 D32 1.04–1.06×, RNN
    /// H64 D64 1.09–1.10×; at 256 bits LSTM H16 D16, H20 D1 and H32 D32, GRU H16 D16 and RNN
    /// H64 D64 1.08–1.11×, GRU H20 D1 level (0.98–1.10×), RNN H16 D16 (one piece) level.
    func broadcastBlocking(pieces n: Int) -> (group: Int, splits: Int) {
        let I = interleave, R = spec.target.registers
        let most = max(1, min(n, (R - 1) / (2 * I + 1)))
        let groups = (n + most - 1) / most
        let g = (n + groups - 1) / groups
        let single = max(2, min(4, spec.target.accumulatorBudget / I))
        return (g, max(1, min(single, (R - g - 1) / (I * g))))
    }

    /// out_b = Σ_r δz_b[r] · row r of a transposed copy, for each sequence b of `sequences`
    /// (names of its step's deltas), over the rows of real gate lanes only (a gate block's
    /// padding rows are zero in the copies of U and W, so they add nothing). Rows are cut
    /// into pieces (`rowPieces`) and blocked by `broadcastBlocking`: per piece and sequence,
    /// `splits` accumulators (no more than a gate block has rows) take every splits-th row
    /// of each gate block, summed in a fixed tree at the end. The blocking is computed from
    /// the interleave, not from `sequences.count`, so one sequence sums exactly as a lockstep
    /// group does. `copy` is the copy's base ("transposed" or "transposed +
    /// Offset.transposedInput"), `width` its row length, `deltas` the δz block;
    /// `store(b, offset, value, load)` writes sequence b's piece at lane `offset`, `load`
    /// naming the helper that reads a vector of the piece's width.
    func emitBroadcastProduct(_ s: inout SourceWriter, copy: String, width: Int, deltas: DeltaBlock, sequences: [String],
                              store: (Int, String, String, String) -> [String]) {
        let B = sequences.count, Hp = layout.paddedHidden, G = layout.gateCount
        let pieces = rowPieces(width: width)
        let (groupSize, most) = broadcastBlocking(pieces: pieces.count)
        let groupCount = (pieces.count + groupSize - 1) / groupSize
        let groups = (0..<groupCount).map { i in
            Array(pieces[(i * pieces.count / groupCount)..<((i + 1) * pieces.count / groupCount)])
        }
        // Real rows: all G·H of them at once where H fills its gate blocks (or there is one
        // block), else block by block; no more accumulators than a block has rows.
        let (blockRows, blockLoop) = Hp == H || G == 1 ? (G * H, false) : (H, true)
        let splits = min(most, blockRows)
        let full = blockRows / splits * splits
        for (b, deltasName) in sequences.enumerated() {
            s.line("let dz\(b) = \(deltasName) + (t - 1) * Offset.deltaStride + Offset.\(deltas.name)")
        }
        func type(_ piece: RowPiece) -> String { piece.load == "chunk" ? chunkType : partType }
        func emitGroup(_ s: inout SourceWriter, _ group: [RowPiece]) {
            // Accumulator a{sequence}_{piece}_{split} and row load u{piece}_{split} (no piece index for one piece).
            let one = group.count == 1
            func a(_ b: Int, _ p: Int, _ k: Int) -> String { one ? "a\(b)_\(k)" : "a\(b)_\(p)_\(k)" }
            func u(_ p: Int, _ k: Int) -> String { one ? "u\(k)" : "u\(p)_\(k)" }
            for b in 0..<B {
                for (p, piece) in group.enumerated() {
                    s.line((0..<splits).map { "var \(a(b, p, $0)) = \(type(piece))()" }.joined(separator: "; "))
                }
            }
            func row(_ s: inout SourceWriter, _ r: String, into k: Int) {
                let row = r.contains(" ") ? "(\(r))" : r
                for (p, piece) in group.enumerated() {
                    let lane = piece.offset == 0 ? "" : " + \(piece.offset)"
                    s.line("let \(u(p, k)) = \(piece.load)(\(copy), \(row) * \(width)\(lane))")
                }
                for b in 0..<B {
                    if one {
                        s.line("\(a(b, 0, k)) = SIMDMath.madd(\(a(b, 0, k)), \(u(0, k)), \(type(group[0]))(repeating: dz\(b)[\(r)]))")
                        continue
                    }
                    s.line("let d\(b)_\(k) = dz\(b)[\(r)]")
                    for (p, piece) in group.enumerated() {
                        s.line("\(a(b, p, k)) = SIMDMath.madd(\(a(b, p, k)), \(u(p, k)), \(type(piece))(repeating: d\(b)_\(k)))")
                    }
                }
            }
            func rows(_ s: inout SourceWriter, base: String) {
                // r runs over all rows, j over a gate block's.
                let v = base.isEmpty ? "r" : "j"
                let at = { (j: String) in base.isEmpty ? j : "\(base) + \(j)" }
                if full > 0 {
                    s.block("for \(v) in stride(from: 0, to: \(full), by: \(splits))") { s in
                        for k in 0..<splits { row(&s, at(k == 0 ? v : "\(v) + \(k)"), into: k) }
                    }
                }
                for (k, j) in (full..<blockRows).enumerated() { row(&s, at("\(j)"), into: k) }
            }
            if blockLoop {
                s.line("// Rows of real lanes only, gate block by block: the copy's padding rows are zero.")
                s.block("for block in 0..<\(G)") { s in
                    s.line("let base = block * \(Hp)")
                    rows(&s, base: "base")
                }
            } else {
                rows(&s, base: "")
            }
            for b in 0..<B {
                for (p, piece) in group.enumerated() {
                    var terms = (0..<splits).map { a(b, p, $0) }
                    while terms.count > 1 {
                        terms = stride(from: 0, to: terms.count, by: 2).map { i in
                            i + 1 < terms.count ? "(\(terms[i]) + \(terms[i + 1]))" : terms[i]
                        }
                    }
                    let sum = terms[0].hasPrefix("(") ? String(terms[0].dropFirst().dropLast()) : terms[0]
                    s.lines(store(b, "\(piece.offset)", sum, piece.load))
                }
            }
        }
        for group in groups {
            if pieces.count > 1 {
                s.line("// Lanes \(group[0].offset)..<\(group.last!.offset + group.last!.lanes) of each row: \(group.count) vector\(group.count == 1 ? "" : "s") per δz broadcast.")
            }
            s.block("do") { s in emitGroup(&s, group) }
        }
    }
}
