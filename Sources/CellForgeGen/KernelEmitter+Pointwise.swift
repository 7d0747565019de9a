import CellForge

/// The one lowering of the typed pointwise form to Swift, and the named offsets the emitted
/// code uses instead of bare numbers.
extension KernelEmitter {
    /// One named constant of the emitted `Offset` enum.
    struct NamedOffset {
        let name: String
        let value: Int
        let doc: String
    }

    /// The slots the cell's pointwise code touches, forward then backward, each once.
    var pointwiseSlots: [Slot] {
        var slots: [Slot] = []
        for p in [cell.forward, cell.backward] {
            for s in p.reads + p.writes where !slots.contains(s) { slots.append(s) }
        }
        return slots
    }

    /// The emitted name of gate block g: "A" for the LSTM's a.
    func gateName(_ g: Int) -> String { spec.cell.gateNames[g].uppercased() }

    /// The emitted constant naming a slot's offset inside its area.
    func offsetName(_ slot: Slot) -> String {
        switch slot {
        case let .gate(g): "gate\(gateName(g))"
        case let .record(n), let .previousRecord(n): n
        case let .carry(n): "carry\(n.prefix(1).uppercased())\(n.dropFirst())"
        case let .upstream(g): "delta\(gateName(g))"
        case let .recurrentDelta(g): "recurrentDelta\(gateName(g))"
        case .directHiddenGradient: "directHiddenGradient"
        case let .inputProduct(g): "inputProduct\(gateName(g))"
        case let .recurrentProduct(g): "recurrentProduct\(gateName(g))"
        case .recurrentBias: "recurrentBias"
        }
    }

    /// A slot's offset inside its area, in scalars.
    func offsetValue(_ slot: Slot) -> Int {
        let hp = layout.paddedHidden
        switch slot {
        case let .gate(g): return layout.gatesOffset + g * hp
        case let .record(n), let .previousRecord(n): return layout.recordOffset(n)
        case let .carry(n): return Scratch.carry(layout, n)
        case let .upstream(g): return g * hp
        case let .recurrentDelta(g): return layout.laneCount + g * hp
        case .directHiddenGradient: return Scratch.direct(layout)
        case let .inputProduct(g): return Scratch.inputProduct(layout) + g * hp
        case let .recurrentProduct(g): return Scratch.recurrentProduct(layout) + g * hp
        case .recurrentBias: return layout.recurrentBiasOffset
        }
    }

    /// Every constant of the `Offset` enum: the layout's strides and areas, then the cell's slots.
    var namedOffsets: [NamedOffset] {
        var list = [
            NamedOffset(name: "lanes", value: P, doc: "P: lanes of the gate group, the stride of one parameter column"),
            NamedOffset(name: "recurrentColumns", value: D * P, doc: "the first U column in the parameters (after D columns of W)"),
            NamedOffset(name: "bias", value: layout.biasOffset, doc: "the bias column in the parameters"),
            NamedOffset(name: "gates", value: layout.gatesOffset, doc: "the activated gate group y in a tape record"),
            NamedOffset(name: "recordStride", value: recordStride, doc: "scalars in one tape record"),
            NamedOffset(name: "inferenceRing", value: inferenceRing, doc: "scalars of one sequence's inference ring: two records, then the scratch the forward uses"),
            NamedOffset(name: "deltaStride", value: deltaStride, doc: "scalars of one step's gate deltas"),
            NamedOffset(name: "reduction", value: Scratch.reduction(layout), doc: "staging of reduction accumulators in scratch"),
        ] + (streamsBlocks ? blockOffsets : [])
        if cell.keepsRecurrentProductApart {
            list.append(NamedOffset(name: "inputProducts", value: Scratch.inputProduct(layout), doc: "W·x_t + b kept apart from U·h_{t−1}, in scratch"))
            list.append(NamedOffset(name: "recurrentProducts", value: Scratch.recurrentProduct(layout), doc: "U·h_{t−1} kept apart, in scratch"))
        }
        var seen = Set(list.map(\.name))
        for slot in pointwiseSlots + stateVectors.map(Slot.carry) {
            let name = offsetName(slot)
            guard seen.insert(name).inserted else { continue }
            list.append(NamedOffset(name: name, value: offsetValue(slot), doc: slotDoc(slot)))
        }
        return list + backwardOffsets + transposedOffsets
    }

    /// The constants only the step loop and the parameter-gradient pass use: strides of the
    /// caller's per-step vectors, the state vectors, and the areas of the deltas and scratch.
    var backwardOffsets: [NamedOffset] {
        var list = [
            NamedOffset(name: "inputStep", value: D, doc: "scalars of one step's input x_t (and of δx_t)"),
            NamedOffset(name: "outputStep", value: H, doc: "scalars of one step's output h_t (and of its gradient Δ_t)"),
        ]
        for (v, name) in stateVectors.enumerated() where v > 0 {
            list.append(NamedOffset(name: stateOffsetName(name), value: v * H, doc: "\(name) in the caller's state vector (h first)"))
        }
        list.append(NamedOffset(name: "carryArea", value: Scratch.inputProduct(layout), doc: "scalars of carried δ at the start of scratch, zeroed before the step loop"))
        list.append(NamedOffset(name: "gateDeltas", value: 0, doc: "δz of the gate group in a step's deltas"))
        if cell.keepsRecurrentProductApart {
            list.append(NamedOffset(name: "recurrentDeltas", value: P, doc: "the recurrent-side δz in a step's deltas"))
        }
        return list
    }

    /// The constant naming a state vector's offset in the caller's state: "stateC" for c.
    func stateOffsetName(_ name: String) -> String { "state\(name.prefix(1).uppercased())\(name.dropFirst())" }

    /// Index k of state vector v in the caller's state: "k" for h, "Offset.stateC + k" for c.
    func stateIndex(_ v: Int, _ k: String = "k") -> String { v == 0 ? k : named(stateOffsetName(stateVectors[v]), k) }

    func slotDoc(_ slot: Slot) -> String {
        switch slot {
        case let .gate(g): "gate block \(spec.cell.gateNames[g]) of y in a record"
        case let .record(n), let .previousRecord(n): "record vector \(n)"
        case let .carry(n): "carried δ\(n) in scratch"
        case let .upstream(g): "upstream (then δz) of gate block \(spec.cell.gateNames[g]) in a step's deltas"
        case let .recurrentDelta(g): "recurrent-side δz of gate block \(spec.cell.gateNames[g]) in a step's deltas"
        case .directHiddenGradient: "the direct part of δh_{t−1} in scratch"
        case let .inputProduct(g): "gate block \(spec.cell.gateNames[g]) of W·x_t + b, kept apart, in scratch"
        case let .recurrentProduct(g): "gate block \(spec.cell.gateNames[g]) of U·h_{t−1}, kept apart, in scratch"
        case .recurrentBias: "b_hn in the parameters"
        }
    }

    /// `Offset.name`, or `Offset.name + extra` with a non-constant or non-zero extra.
    func named(_ name: String, _ extra: String = "0") -> String {
        extra == "0" ? "Offset.\(name)" : "Offset.\(name) + \(extra)"
    }

    /// The file-private enum of named offsets.
    func emitOffsets(_ s: inout SourceWriter) {
        s.line("/// Offsets (in scalars) of this kernel's layout, named; see CellForge.KernelLayout.")
        s.block("private enum Offset") { s in
            for o in namedOffsets {
                s.line("/// \(o.doc.prefix(1).uppercased())\(o.doc.dropFirst()).")
                s.line("static let \(o.name) = \(o.value)")
            }
        }
    }

    /// The Swift parameter for an area.
    func areaParameter(_ a: Area) -> String {
        "_ \(a.rawValue): Unsafe\(a.isWritable ? "Mutable" : "")Pointer<\(scalar)>"
    }

    /// The forward and backward pointwise functions, each emitted once per file.
    ///
    /// Transparent (always inlined): with `@inline(__always)` the forward one stayed an
    /// out-of-line call in 189 places of the release benchmark build, one call per sequence and
    /// step. Inlined, a probe binary ran LSTM H8 D8 (256-bit) training in 75.7 against 111.0 ns
    /// per sequence-step and N = 256 inference in 23.2 against 53.4 (GRU H8 D8 and RNN H16
    /// D16 training 4% faster, LSTM H16 D16 512-bit one sequence 45.9 against 49.4 ns).
    func emitPointwiseFunctions(_ s: inout SourceWriter) {
        func function(_ name: String, _ code: Pointwise, doc: String, body: (inout SourceWriter) -> Void) {
            s.line()
            s.line("/// \(doc)")
            s.line("@_transparent")
            s.block("private func \(name)(\(code.areas.map(areaParameter).joined(separator: ", ")))", body)
        }
        let parts = "the \(layout.partCount) part\(layout.partCount == 1 ? "" : "s") of \(layout.partWidth) lane\(layout.partWidth == 1 ? "" : "s")"
        for (name, code, what) in [("forwardPointwise", cell.forward, "forward update"), ("backwardPointwise", cell.backward, "backward step: the upstream value of each gate block")] {
            function(name, code, doc: "The pointwise \(spec.cell.displayName) \(what), over \(parts) of each H-vector.") { s in
                if layout.partCount == 1 {
                    lower(code, offset: "0", into: &s)
                } else {
                    s.block("for m in 0..<\(layout.partCount)") { s in
                        s.line("let lane = m * \(layout.partWidth)")
                        lower(code, offset: "lane", into: &s)
                    }
                }
            }
        }
        guard let pieces = forwardPieces else { return }
        let over = pieces.map { "lanes \($0.offset)..<\($0.offset + $0.lanes)" }.joined(separator: ", then ")
        function("forwardPointwiseByChunks", cell.forward,
                 doc: "`forwardPointwise` over \(over) of each H-vector, for the lockstep groups: the same bits in fewer vector operations.") { s in
            for piece in pieces {
                s.block("do") { s in lower(cell.forward, offset: "\(piece.offset)", load: piece.load, into: &s) }
            }
        }
    }

    /// The pieces the lockstep groups' forward update takes an H-vector in, where it holds a
    /// whole chunk and more than parts of one (Hp 24 in 16-lane chunks with parts of 8: lanes
    /// 0..<16, then 16..<24; see `rowPieces`); nil where parts are all there is.
    ///
    /// The update works lane by lane, so any cut gives the same bits. Measured on an Intel
    /// Xeon with AVX-512 (one probe binary, N = 12 a call, T = 64, fastest of 15 × 8 calls, ns
    /// per sequence-step): forward with tape, LSTM H20 D1 at 512 bits 101–108 → 87–92, GRU
    /// 72–75 → 58–61; training LSTM 253–256 → 233–235, GRU 188–198 → 174–182. One sequence
    /// keeps the parts (LSTM H20 took 0.90–0.92× as long per step with these pieces: its
    /// critical path runs through them), and so does the backward update (training 1–2% slower
    /// with it in pieces as well).
    var forwardPieces: [RowPiece]? {
        let pieces = rowPieces(width: layout.paddedHidden)
        return pieces.count > 1 && pieces.contains { $0.load == "chunk" } ? pieces : nil
    }

    /// The call of a pointwise function, each area bound by `argument`.
    func pointwiseCall(_ name: String, _ code: Pointwise, _ argument: (Area) -> String) -> String {
        "\(name)(\(code.areas.map(argument).joined(separator: ", ")))"
    }

    /// Lowers pointwise code for the vector at `offset` (a constant or a variable), loaded
    /// with `load` ("part", or "chunk" for a whole chunk).
    func lower(_ code: Pointwise, offset: String, load: String = "part", into s: inout SourceWriter) {
        for statement in code.statements {
            switch statement {
            case let .bind(name, e): s.line("let \(name) = \(render(e, offset, load: load))")
            case let .store(slot, e): s.line("put(\(render(e, offset, load: load)), \(slot.area.rawValue), \(named(offsetName(slot), offset)))")
            }
        }
    }

    /// Swift text of an expression; `precedence` is the binding strength the context needs
    /// (0: none, 1: an operand of + or −, 2: an operand of ×).
    func render(_ e: Expr, _ offset: String, _ precedence: Int = 0, load: String = "part") -> String {
        func wrap(_ text: String, _ own: Int) -> String { own < precedence ? "(\(text))" : text }
        func r(_ e: Expr, _ precedence: Int = 0) -> String { render(e, offset, precedence, load: load) }
        switch e {
        case let .load(slot): return "\(load)(\(slot.area.rawValue), \(named(offsetName(slot), offset)))"
        case let .value(name): return name
        case let .constant(c): return "\(c)"
        case let .add(a, b): return wrap("\(r(a, 1)) + \(r(b, 2))", 1)
        case let .subtract(a, b): return wrap("\(r(a, 1)) - \(r(b, 2))", 1)
        case let .multiply(a, b): return wrap("\(r(a, 2)) * \(r(b, 3))", 2)
        case let .multiplyAdd(c, a, b): return "SIMDMath.madd(\(r(c)), \(r(a)), \(r(b)))"
        case let .tanh(a): return "SIMDMath.tanh(\(r(a)))"
        }
    }
}
