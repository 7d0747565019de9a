import CellForge

/// Backpropagation through time: the step loop, the transposed products
/// Uᵀ·δz and Wᵀ·δz, and the parameter-gradient pass after the loop.
extension KernelEmitter {
    func emitBackward(_ s: inout SourceWriter) {
        let I = interleave
        s.line("/// One sequence (see `RecurrentKernel.backward`): a batch of one.")
        s.block("public func backward(parameters w: UnsafePointer<\(scalar)>, input x: UnsafePointer<\(scalar)>, length: Int,\n                         tape: UnsafeMutablePointer<\(scalar)>,\n                         outputGradient dy: UnsafePointer<\(scalar)>?, finalStateGradient dFinal: UnsafePointer<\(scalar)>?,\n                         inputGradient dx: UnsafeMutablePointer<\(scalar)>?, initialStateGradient dInitial: UnsafeMutablePointer<\(scalar)>?,\n                         parameterGradient g: UnsafeMutablePointer<\(scalar)>)") { s in
            s.line("backward(parameters: w, batch: KernelBatch(count: 1, length: length, input: x, inputStride: 0, state: nil, stateStride: 0,")
            s.line("                                           tape: tape, outputGradient: dy, finalStateGradient: dFinal,")
            s.line("                                           inputGradient: dx, initialStateGradient: dInitial),")
            s.line("         parameterGradient: g)")
        }
        s.line()
        s.line("/// Backpropagates groups of \(I) sequences in lockstep, the rest one at a time; parameter gradients are added in sequence order.")
        s.block("public func backward(parameters w: UnsafePointer<\(scalar)>, batch: KernelBatch<\(scalar)>, parameterGradient g: UnsafeMutablePointer<\(scalar)>)") { s in
            s.line("precondition(batch.count >= 0 && batch.length >= 0, \"\(spec.typeName).backward: negative count or length\")")
            s.line("guard batch.count > 0 else { return }")
            s.line("guard let tapes = batch.tape else { preconditionFailure(\"\(spec.typeName).backward: the batch has no tapes\") }")
            emitLockstepGroups(&s) { "backwardSteps\($0)(w, batch, first, tapes + first * batch.tapeStride, g)" }
        }
        emitBackwardSteps(&s, sequences: I)
        emitBackwardSteps(&s, sequences: 1)
    }

    /// The reverse step loop for `sequences` sequences in lockstep.
    func emitBackwardSteps(_ s: inout SourceWriter, sequences B: Int) {
        let all = 0..<B
        s.line()
        s.line("/// Backpropagates sequences first..<first + \(B) step by step together.")
        s.block("private func backwardSteps\(B)(_ w: UnsafePointer<\(scalar)>, _ batch: KernelBatch<\(scalar)>, _ first: Int,\n                             _ tapes: UnsafeMutablePointer<\(scalar)>, _ g: UnsafeMutablePointer<\(scalar)>)") { s in
            s.line("let length = batch.length")
            for b in all {
                s.line("let x\(b) = batch.input + (first + \(b)) * batch.inputStride, tape\(b) = tapes + \(b) * batch.tapeStride")
                s.line("let deltas\(b) = tape\(b) + (length + 1) * Offset.recordStride, scratch\(b) = deltas\(b) + length * Offset.deltaStride")
                s.line("let dy\(b) = batch.outputGradient.map { $0 + (first + \(b)) * batch.outputStride }")
                s.line("let dx\(b) = batch.inputGradient.map { $0 + (first + \(b)) * batch.inputStride }")
                s.line("// Carried δ of the state, from the final state's gradient; padding lanes zero.")
                s.line("scratch\(b).update(repeating: 0, count: Offset.carryArea)")
                s.block("if let dFinal = batch.finalStateGradient.map({ $0 + (first + \(b)) * batch.stateStride })") { s in
                    for (v, name) in stateVectors.enumerated() {
                        s.line(copyHidden(to: "scratch\(b)", { self.named(self.offsetName(.carry(name)), $0) }, from: "dFinal", { self.stateIndex(v, $0) }))
                    }
                }
            }
            withTransposedCopies(&s) { s in emitBackwardStepLoop(&s, sequences: B) }
            for b in all {
                s.block("if let dInitial = batch.initialStateGradient.map({ $0 + (first + \(b)) * batch.stateStride })") { s in
                    for (v, name) in stateVectors.enumerated() {
                        s.line(copyHidden(to: "dInitial", { self.stateIndex(v, $0) }, from: "scratch\(b)", { self.named(self.offsetName(.carry(name)), $0) }))
                    }
                }
            }
            for b in all { s.line("accumulateParameterGradients(x\(b), length, tape\(b), g)") }
        }
    }

    /// The reverse step loop itself, for `sequences` sequences in lockstep: the pointwise δ
    /// and δz of each sequence, then Uᵀ·δz and Wᵀ·δz for all of them.
    func emitBackwardStepLoop(_ s: inout SourceWriter, sequences B: Int) {
        let all = 0..<B
        s.block("for step in 0..<length") { s in
            s.line("let t = length - step")
            for b in all {
                s.block("do") { s in
                    let readsPrevious = cell.backward.areas.contains(.previous)
                    s.line("let cur = tape\(b) + t * Offset.recordStride\(readsPrevious ? ", prev = cur - Offset.recordStride" : ""), delta = deltas\(b) + (t - 1) * Offset.deltaStride, scratch = scratch\(b)")
                    s.line("if let dy = dy\(b) { \(addOutputGradient) }")
                    let arguments: [Area: String] = [.parameters: "w", .previous: "prev", .current: "cur", .delta: "delta", .scratch: "scratch"]
                    s.line(pointwiseCall("backwardPointwise", cell.backward) { arguments[$0]! })
                    if layout.gateLaneCount < P {
                        s.line("for k in \(layout.gateLaneCount)..<Offset.lanes { delta[k] = 0 }")
                    }
                    if isCompact {
                        emitCompactDerivative(&s)
                        emitCompactRecurrentDelta(&s)
                    } else {
                        emitFusedDerivative(&s)
                        emitRecurrentDelta(&s)
                    }
                }
            }
            if transposesRecurrent { emitRecurrentGradientFromCopy(&s, sequences: B) } else { emitRecurrentGradient(&s, sequences: B) }
            if transposesInput { emitInputGradientFromCopy(&s, sequences: B) } else { emitInputGradient(&s, sequences: B) }
        }
    }

    /// δh_{t−1} = Uᵀ·δz (+ u ⊙ δh_t for the GRU) into each sequence's carry, as dot products
    /// over the columns of U ending in transposing reductions.
    func emitRecurrentGradient(_ s: inout SourceWriter, sequences B: Int) {
        let all = 0..<B
        s.line("// δh_{t−1} = Uᵀ·δz\(cell.hasDirectHiddenPath ? " + u ⊙ δh_t" : ""): each block of U columns serves every sequence.")
        let n = recurrentGroupWidth, carryH = offsetName(.carry("h"))
        emitTransposedProduct(&s, block: .recurrentColumn, count: H, groupWidth: n, deltas: recurrentDeltas,
                              sequences: all.map { b in ("do", ["let delta = deltas\(b) + (t - 1) * Offset.deltaStride, scratch = scratch\(b)"]) }) { offset, value, _ in
            // Groups narrower than a part (a 16-register target at 512 bits) load and store their own width.
            let (load, store) = n == layout.partWidth ? ("part", "put") : ("SIMDMath.load", "SIMDMath.store")
            let sum = cell.hasDirectHiddenPath ? "\(value) + \(load)(scratch, \(named(offsetName(.directHiddenGradient), offset)))" : value
            return ["\(store)(\(sum), scratch, \(named(carryH, offset)))"]
        }
    }

    /// δh_{t−1} as `emitRecurrentGradient`, from the transposed copy of U: broadcast
    /// multiply-adds over its rows, no reduction.
    func emitRecurrentGradientFromCopy(_ s: inout SourceWriter, sequences B: Int) {
        let carryH = offsetName(.carry("h"))
        s.line("// δh_{t−1} = Σ_r δz[r]·U[r, ·]\(cell.hasDirectHiddenPath ? " + u ⊙ δh_t" : ""): each row of the copy of U serves every sequence.")
        emitBroadcastProduct(&s, copy: "transposed", width: layout.paddedHidden, deltas: recurrentDeltas,
                             sequences: (0..<B).map { "deltas\($0)" }) { b, offset, value, load in
            let sum = cell.hasDirectHiddenPath ? "\(value) + \(load)(scratch\(b), \(named(offsetName(.directHiddenGradient), offset)))" : value
            return ["put(\(sum), scratch\(b), \(named(carryH, offset)))"]
        }
    }

    /// δx_t = Wᵀ·δz for the sequences that asked for it, as dot products over the columns of W.
    func emitInputGradient(_ s: inout SourceWriter, sequences B: Int) {
        s.line("// δx_t = Wᵀ·δz for the sequences that asked for it.")
        emitTransposedProduct(&s, block: .inputColumn, count: D, groupWidth: dxGroupWidth, deltas: .gates,
                              sequences: (0..<B).map { b in ("if let dx = dx\(b)", ["let delta = deltas\(b) + (t - 1) * Offset.deltaStride, dxt = dx + (t - 1) * Offset.inputStep"
                                                                                  + (stagesReduction(dxGroupWidth) ? ", scratch = scratch\(b)" : "")]) }) { offset, value, lanes in
            if lanes == dxGroupWidth {
                return [dxGroupWidth == 1 ? "dxt[\(offset)] = \(value)" : "SIMDMath.store(\(value), dxt, \(offset))"]
            }
            return ["let v = \(value)"] + (0..<lanes).map { "dxt[\(plus(0, offset)) + \($0)] = v[\($0)]" }
        }
    }

    /// δx_t as `emitInputGradient`, from the transposed copy of W. A batch asks for δx for
    /// all its sequences or none.
    func emitInputGradientFromCopy(_ s: inout SourceWriter, sequences B: Int) {
        s.line("// δx_t = Σ_r δz[r]·W[r, ·] where asked for (a batch asks for every sequence or none).")
        s.block("if \((0..<B).map { "let dx\($0)" }.joined(separator: ", "))") { s in
            emitBroadcastProduct(&s, copy: "transposed + Offset.transposedInput", width: D, deltas: .gates,
                                 sequences: (0..<B).map { "deltas\($0)" }) { b, offset, value, _ in
                ["put(\(value), dx\(b) + (t - 1) * Offset.inputStep, \(offset))"]
            }
        }
    }

    /// Adds Δ_t to the carried δh: whole parts as vectors when H fills them (the carry was
    /// just stored as vectors, and scalar updates would each wait on store forwarding).
    var addOutputGradient: String {
        let wp = layout.partWidth, carryH = offsetName(.carry("h"))
        guard wp > 1, H % wp == 0 else { return "for k in 0..<\(H) { scratch[\(named(carryH, "k"))] += dy[(t - 1) * Offset.outputStep + k] }" }
        let add = { (o: String) in
            "put(part(scratch, \(named(carryH, o))) + part(dy, (t - 1) * Offset.outputStep\(o == "0" ? "" : " + \(o)")), scratch, \(named(carryH, o)))"
        }
        if layout.partCount == 1 { return add("0") }
        return "for m in 0..<\(layout.partCount) { \(add("m * \(wp)")) }"
    }

    /// Where the transposed product Uᵀ·δz reads its δz: the recurrent-side δz when the cell
    /// keeps it apart (GRU), else the gate deltas.
    var recurrentDeltas: DeltaBlock { cell.keepsRecurrentProductApart ? .recurrent : .gates }

    /// Columns per group of a transposed product: one accumulator per column, so at most the
    /// target's accumulator budget (R/2: 8 with 16 registers, 16 with 32), which leaves room
    /// for the δ chunk and the weight load; a power of two (the reduction folds pairs).
    var transposedGroupLimit: Int {
        var n = 1
        while 2 * n <= min(w, spec.target.accumulatorBudget) { n *= 2 }
        return n
    }

    /// Lanes per Uᵀ·δz group: a part of δh, or less where the target's registers ask for it.
    var recurrentGroupWidth: Int { min(layout.partWidth, transposedGroupLimit) }

    /// Lanes per δx group: the chunk width, or less for small D or where the target's registers ask for it.
    var dxGroupWidth: Int {
        var n = 1
        while n < D && n < transposedGroupLimit { n *= 2 }
        return n
    }

    /// Whether a group of n columns stages its accumulators in scratch for `SIMDMath.transposedSum`.
    func stagesReduction(_ n: Int) -> Bool { n == w && w == layout.vectorWidth }

    /// "base + offset" with constants folded.
    func plus(_ base: Int, _ offset: String) -> String {
        if let o = Int(offset) { return "\(base + o)" }
        return base == 0 ? offset : "\(base) + \(offset)"
    }

    /// out[j] = Σ_r M[r, j]·δ[r] for `count` columns j of M (`block`: W or U), in groups of n
    /// columns: n dot-product accumulators over the chunks of δ (`deltas` in a step's deltas,
    /// product code from `transposedProduct`), then one transposing reduction into an n-lane
    /// vector. `store(offset, value, lanes)` writes a group's result.
    ///
    /// `sequences` lists, per sequence, the block header ("do" or an `if let`) and the lines that
    /// bind `delta` (and `scratch` where the reduction is staged, and what `store` uses) for it;
    /// the column-group loop is outermost so each block of columns is reused from L1 by every
    /// sequence.
    func emitTransposedProduct(_ s: inout SourceWriter, block: ParameterBlock, count: Int, groupWidth n: Int,
                               deltas: DeltaBlock, sequences: [(String, [String])], store: (String, String, Int) -> [String]) {
        let full = count / n, rest = count % n
        func body(_ s: inout SourceWriter, group: String, lanes: Int) {
            for (header, bindings) in sequences {
                s.block(header) { s in
                    s.lines(bindings)
                    sequenceBody(&s, group: group, lanes: lanes)
                }
            }
        }
        func sequenceBody(_ s: inout SourceWriter, group: String, lanes: Int) {
            /// Column group·n + l of the matrix.
            func column(_ l: Int) -> SymbolicOffset { Int(group).map { SymbolicOffset($0 * n + l) } ?? SymbolicOffset(group, times: n, plus: l) }
            var code = transposedProduct(block: block, deltas: deltas, columns: column, width: n, lanes: lanes)
            let (reduce, result) = reduction((0..<n).map { .dot($0) })
            code.statements += reduce
            lower(code, into: &s)
            s.lines(store(group == "0" ? "0" : "\(group) * \(n)", render(result), lanes))
        }
        if full == 1 {
            s.block("do") { s in body(&s, group: "0", lanes: n) }
        } else if full > 1 {
            s.block("for m in 0..<\(full)") { s in body(&s, group: "m", lanes: n) }
        }
        if rest > 0 {
            s.block("do") { s in body(&s, group: "\(full)", lanes: rest) }
        }
    }

    /// δW += Σ_t δz_t ⊗ x_t, δU += Σ_t δz_t ⊗ h_{t−1}, δb += Σ_t δz_t after the step loop,
    /// each gradient vector accumulated over all steps in registers.
    func emitParameterGradients(_ s: inout SourceWriter) {
        s.line("/// Adds Σ_t of each step's parameter gradient to `g`, reading the deltas the step loop left in the tape.")
        s.block("private func accumulateParameterGradients(_ x: UnsafePointer<\(scalar)>, _ length: Int,\n                                                  _ tape: UnsafeMutablePointer<\(scalar)>, _ g: UnsafeMutablePointer<\(scalar)>)") { s in
            s.line("let deltas = tape + (length + 1) * Offset.recordStride")
            s.line("// δW[·, j] += Σ_t δz_t · x_t[j]")
            emitOuterProducts(&s, columns: D, block: .inputColumn, deltas: .gates) { .stepInput(column: $0) }
            s.line("// δU[·, j] += Σ_t δz_t · h_{t−1}[j]")
            emitOuterProducts(&s, columns: H, block: .recurrentColumn, deltas: recurrentDeltas) { .stepPreviousHidden(column: $0) }
            s.line("// δb += Σ_t δz_t")
            let budget = spec.target.accumulatorBudget
            emitChunkGroups(&s, group: min(budget, layout.chunkCount)) { s, offset, n in
                lower(biasGradient(chunks: n, offset: offset), into: &s)
            }
            if spec.cell.hasRecurrentCandidateBias {
                s.line("// δb_hn += Σ_t (recurrent-side δz_t of the candidate)")
                let candidate = spec.cell.gateCount - 1
                s.block("for m in 0..<\(layout.partCount)") { s in
                    s.line("let lane = m * \(layout.partWidth)")
                    s.line("var acc = part(g, Offset.recurrentBias + lane)")
                    s.line("for t in 0..<length { acc += part(deltas + t * Offset.deltaStride, \(named(offsetName(.recurrentDelta(candidate)), "lane"))) }")
                    s.line("put(acc, g, Offset.recurrentBias + lane)")
                }
            }
        }
    }

    /// For each column j: gradient column += Σ_t δz_t · source(j) (x_t[j] or h_{t−1}[j]). A
    /// pass keeps R/8 chunks × 4 columns of accumulators in registers over all steps (R the
    /// target's registers: 2 × 4 of 16, 4 × 4 of 32, with R/8 δ chunks and 4 broadcasts beside
    /// them), so each δ load (streamed from L2 for large H) serves 4 columns; leftover columns
    /// get passes of their own. `block` names the matrix, `deltas` the δz it reads.
    func emitOuterProducts(_ s: inout SourceWriter, columns: Int, block: ParameterBlock, deltas: DeltaBlock,
                           source: (SymbolicOffset) -> BroadcastSource) {
        let chunksPerPass = min(layout.chunkCount, spec.target.registers / 8)
        let columnsPerPass = max(1, min(columns, 4))
        let tiled = columns / columnsPerPass * columnsPerPass
        func pass(_ s: inout SourceWriter, columns: [SymbolicOffset]) {
            emitChunkGroups(&s, group: chunksPerPass) { s, offset, n in
                lower(outerProducts(columns: columns, chunks: n, offset: offset, block: block, deltas: deltas, source: source), into: &s)
            }
        }
        if tiled > 0 {
            emitStridedLoop(&s, "j", counter: "columnGroup", to: tiled / columnsPerPass, step: columnsPerPass) { s in
                pass(&s, columns: (0..<columnsPerPass).map { SymbolicOffset("j", plus: $0) })
            }
        }
        if tiled < columns {
            s.block("for j in \(tiled)..<\(columns)") { s in pass(&s, columns: [SymbolicOffset("j")]) }
        }
    }
}
