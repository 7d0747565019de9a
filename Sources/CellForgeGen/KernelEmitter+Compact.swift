import CellForge

/// Compact emission for large gate groups: loops over chunk groups instead of one unrolled
/// copy per group, and the activations and δgates in one pass per gate block, so the source
/// grows with a small constant instead of with H.
///
/// Each chunk still takes exactly the same operations in the same order as unrolled, so the
/// results are the same bits; only the lane offsets become loop variables.
extension KernelEmitter {
    /// Gate groups of at least this many chunks are emitted as loops; smaller ones stay
    /// unrolled, every offset a constant. The loops cost throughput at every size measured
    /// (most below 16 chunks, 11% forward), while from 16 chunks (H32 Float at 256 bits) the
    /// unrolled form takes 4–7× their compile time and 2–3× their source for 7% forward and
    /// 1–2% training, and grows with H; so below 16 unrolled, from 16 loops.
    /// Compact vs unrolled, LSTM H = D at 256 bits, Zen 4 (forward, training N = 256 × 64; release compile CPU s; KB): 8 chunks +11% +3% 3.8/6.3 s 53/69; 12 +11% +5% 2.4/8.0 s 53/85; 16 +7% +2% 2.0/7.9 s 52/101; 24 +6% +2% 2.0/13.3 s 51/133; 32 +7% +1% 2.8/19.8 s 53/166; single-sequence latency within ±5%.
    /// Those figures predate the loops' counted ranges and `wk` pointer (see `lower`), which
    /// took most of the forward cost away: at 32 chunks (LSTM H64 D64) N = 256 inference went
    /// from 764 to 703 ns per sequence-step against 713 unrolled (315502c), and at 16 chunks
    /// (LSTM H32 D32) from 233 to 211 ns and training from 776 to 734; the threshold was not
    /// measured again.
    static let compactChunkCount = 16

    /// Whether this kernel is emitted in compact form: a large gate group whose every chunk
    /// lies inside one gate block (so one activation serves a whole chunk).
    var isCompact: Bool {
        layout.chunkCount >= Self.compactChunkCount && layout.paddedHidden % layout.chunkWidth == 0
            && layout.gateLaneCount == layout.laneCount
    }

    /// Walks the gate group in groups of `group` chunks; `body(offset, n)` emits one group of n
    /// chunks, `offset(k)` being the lane offset of its k-th chunk (a constant, or `k0` plus a
    /// constant in compact form, k0 derived from a counted range: no iterator to call and a
    /// known range, so index arithmetic needs no overflow checks in the loops inside).
    func emitChunkGroups(_ s: inout SourceWriter, group: Int,
                         body: (inout SourceWriter, (Int) -> SymbolicOffset, Int) -> Void) {
        let count = layout.chunkCount
        if isCompact {
            let full = count / group, rest = count % group
            if full > 0 {
                emitStridedLoop(&s, "k0", counter: "chunkGroup", to: full, step: group * w) { s in
                    body(&s, { SymbolicOffset("k0", plus: $0 * w) }, group)
                }
            }
            if rest > 0 {
                s.block("do") { s in body(&s, { SymbolicOffset((full * group + $0) * w) }, rest) }
            }
        } else {
            for first in stride(from: 0, to: count, by: group) {
                s.block("do") { s in body(&s, { SymbolicOffset((first + $0) * w) }, min(group, count - first)) }
            }
        }
    }

    /// Compact form: stores the pre-activation of sequence b at a lane offset for the activation
    /// pass: the sum of the accumulators, or W·x + b and U·h apart when the cell keeps them apart.
    func emitStorePreactivation(_ s: inout SourceWriter, offset: String, sequence b: Int, accumulators: [Register]) {
        if cell.keepsRecurrentProductApart {
            s.line("put(\(accumulators[0].name), scratch\(b), \(named("inputProducts", offset)))")
            s.line("put(\(accumulators[accumulators.count - 1].name), scratch\(b), \(named("recurrentProducts", offset)))")
        } else {
            s.line("put(\(accumulators.map(\.name).joined(separator: " + ")), cur\(b), \(named("gates", offset)))")
        }
    }

    /// Runs of neighbouring gate blocks that share an activation: (first lane, end lane, activation).
    func gateRuns(_ table: [Activation]) -> [(Int, Int, Activation)] {
        var runs: [(Int, Int, Activation)] = []
        let hp = layout.paddedHidden
        for (g, a) in table.enumerated() {
            if let last = runs.last, last.2 == a, last.1 == g * hp { runs[runs.count - 1].1 = (g + 1) * hp }
            else { runs.append((g * hp, (g + 1) * hp, a)) }
        }
        return runs
    }

    /// Compact form: one loop per run of gate blocks applies their activation to the stored
    /// pre-activations of sequence b (candidate lanes computed pointwise are left alone).
    func emitActivationPass(_ s: inout SourceWriter, sequence b: Int) {
        let cur = "cur\(b)"
        for (start, end, a) in gateRuns(cell.activations) where a != .pointwise {
            let f = a == .tanh ? "SIMDMath.tanh" : "SIMDMath.sigmoid"
            emitChunkLoop(&s, from: start, to: end) { s in
                let z = cell.keepsRecurrentProductApart
                    ? "chunk(scratch\(b), \(named("inputProducts", "k"))) + chunk(scratch\(b), \(named("recurrentProducts", "k")))"
                    : "chunk(\(cur), \(named("gates", "k")))"
                s.line("put(\(f)(\(z)), \(cur), \(named("gates", "k")))")
            }
        }
    }

    /// Compact form of δz = upstream ⊙ act′(y): one loop per run of gate blocks.
    func emitCompactDerivative(_ s: inout SourceWriter) {
        s.line("// δz = upstream ⊙ act′(y), one loop per run of gate blocks: 1 − y² on tanh, y − y² on σ.")
        for (start, end, a) in gateRuns(cell.derivativeActivations) {
            let derivative = a == .sigmoid ? "(y - y * y)" : "(1 - y * y)"
            emitChunkLoop(&s, from: start, to: end) { s in
                s.line("let y = chunk(cur, \(named("gates", "k")))")
                s.line("put(chunk(delta, k) * \(derivative), delta, k)")
            }
        }
    }

    /// Compact form of the GRU's recurrent-side δz: δz copied on every block the cell does not
    /// write itself.
    func emitCompactRecurrentDelta(_ s: inout SourceWriter) {
        guard cell.keepsRecurrentProductApart else { return }
        s.line("// Recurrent-side δz: δz on r and u lanes; the candidate's lanes hold r ⊙ δn.")
        for (start, end, a) in gateRuns(cell.activations) where a != .pointwise {
            emitChunkLoop(&s, from: start, to: end) { s in
                s.line("put(chunk(delta, k), delta, Offset.lanes + k)")
            }
        }
    }

    /// A loop over the chunks from lane `start` to lane `end` (both multiples of the chunk
    /// width), its body binding the lane offset k (`emitStridedLoop` over chunk indices m).
    func emitChunkLoop(_ s: inout SourceWriter, from start: Int, to end: Int, body: (inout SourceWriter) -> Void) {
        emitStridedLoop(&s, "k", counter: "m", from: start / w, to: end / w, step: w, body: body)
    }

    /// A loop whose variable `name` takes the multiples of `step` from `first`·step up to (not
    /// including) `end`·step, written as a counted range of `counter` with `let name = counter ·
    /// step` first in the body. `stride(from:to:by:)` was left as an out-of-line iterator call
    /// in the step loop (3% of LSTM H64 D64 inference), and a variable from an unknown range put
    /// an overflow check on every index computed from it inside.
    func emitStridedLoop(_ s: inout SourceWriter, _ name: String, counter: String, from first: Int = 0, to end: Int,
                         step: Int, body: (inout SourceWriter) -> Void) {
        s.block("for \(counter) in \(first)..<\(end)") { s in
            s.line("let \(name) = \(counter) * \(step)")
            body(&s)
        }
    }
}
