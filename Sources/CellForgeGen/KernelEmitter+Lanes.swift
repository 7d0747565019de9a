import CellForge

/// Per-lane facts of the packed gate group, and the vector code built from them:
/// the one activation over all gates and the one fused δgates expression.
extension KernelEmitter {
    /// The activation of each lane of chunk k (nil for padding lanes).
    func laneActivations(_ k: Int, _ table: [Activation]) -> [Activation?] {
        (0..<w).map { l in
            let lane = k * w + l
            return lane < layout.gateLaneCount ? table[lane / layout.paddedHidden] : nil
        }
    }

    /// The single activation of chunk k if all its gate lanes share one, else nil.
    func uniform(_ lanes: [Activation?]) -> Activation? {
        let used = Set(lanes.compactMap { $0 })
        return used.count == 1 ? used.first : nil
    }

    /// A vector literal with one value per lane.
    func literal(_ values: [String]) -> String {
        values.count == 1 ? values[0] : "\(chunkType)(\(values.joined(separator: ", ")))"
    }

    /// "tanh on a, σ on i, f, o".
    var activationSummary: String {
        let names = spec.cell.gateNames
        var parts: [String] = []
        for (name, a) in [("tanh", Activation.tanh), ("σ", .sigmoid)] {
            let gates = names.indices.filter { cell.activations[$0] == a }.map { names[$0] }
            if !gates.isEmpty { parts.append("\(name) on \(gates.joined(separator: ", "))") }
        }
        let later = names.indices.filter { cell.activations[$0] == .pointwise }.map { names[$0] }
        if !later.isEmpty { parts.append("\(later.joined(separator: ", ")) after, pointwise") }
        return parts.joined(separator: ", ")
    }

    /// Activates chunk k of sequence b's pre-activation, the sum of its accumulators (b + W·x
    /// and U·h apart, or the whole z), into the current record's y.
    ///
    /// A chunk of one activation calls it directly; a mixed chunk (small H, several gates in
    /// one vector) uses tanh with per-lane scaling, σ(x) = ½ + ½·tanh(x/2).
    func emitActivation(_ s: inout SourceWriter, chunk k: Int, sequence b: Int, accumulators: [Register]) {
        let z = accumulators.map(\.name).joined(separator: " + ")
        let lanes = laneActivations(k, cell.activations)
        let y = named("gates", "\(k * w)")
        let cur = "cur\(b)"
        if cell.keepsRecurrentProductApart && lanes.contains(.pointwise) {
            s.line("put(\(accumulators[0].name), scratch\(b), \(named("inputProducts", "\(k * w)")))")
            s.line("put(\(accumulators[accumulators.count - 1].name), scratch\(b), \(named("recurrentProducts", "\(k * w)")))")
        }
        // Lanes computed pointwise later take σ here (overwritten); padding lanes take the chunk's
        // own. Only a chunk of pointwise lanes alone is left out: padding lanes of y must be
        // written (the tape is not cleared, and δz reads y on every lane).
        let forward = lanes.map { $0 == .pointwise ? Activation.sigmoid : $0 }
        if lanes.allSatisfy({ $0 == .pointwise }) { return }
        switch uniform(forward) {
        case .tanh: s.line("put(SIMDMath.tanh(\(z)), \(cur), \(y))")
        case .sigmoid: s.line("put(SIMDMath.sigmoid(\(z)), \(cur), \(y))")
        default:
            let sig = forward.map { $0 == .sigmoid }
            let pre = literal(sig.map { $0 ? "0.5" : "1" })
            let scale = literal(sig.map { $0 ? "0.5" : "1" })
            let shift = literal(sig.map { $0 ? "0.5" : "0" })
            s.line("put(SIMDMath.madd(\(shift), \(scale), SIMDMath.tanh((\(z)) * \(pre))), \(cur), \(y))")
        }
    }

    /// δz = upstream ⊙ act′(y) over every chunk, with act′ = y(1 − y) on σ lanes and 1 − y² on
    /// tanh lanes, written as one expression: (σ-lane ? y : 1) − y².
    func emitFusedDerivative(_ s: inout SourceWriter) {
        s.line("// δz = upstream ⊙ act′(y) in one fused expression per chunk: (σ lane ? y : 1) − y².")
        for k in 0..<layout.chunkCount {
            let y = "chunk(cur, \(named("gates", "\(k * w)")))"
            let lanes = laneActivations(k, cell.derivativeActivations)
            let derivative: String
            switch uniform(lanes) {
            case .tanh: derivative = "(1 - y * y)"
            case .sigmoid: derivative = "(y - y * y)"
            default:
                let sig = lanes.map { $0 == .sigmoid }
                derivative = "(SIMDMath.madd(\(literal(sig.map { $0 ? "0" : "1" })), \(literal(sig.map { $0 ? "1" : "0" })), y) - y * y)"
            }
            let d = named("gateDeltas", "\(k * w)")
            s.line("do { let y = \(y); put(chunk(delta, \(d)) * \(derivative), delta, \(d)) }")
        }
    }

    /// GRU: the recurrent-side δz equals δz except on the candidate's lanes, already written.
    func emitRecurrentDelta(_ s: inout SourceWriter) {
        guard cell.keepsRecurrentProductApart else { return }
        s.line("// Recurrent-side δz: δz on r and u lanes; the candidate's lanes hold r ⊙ δn.")
        for k in 0..<layout.chunkCount {
            let lanes = laneActivations(k, cell.activations)
            let own = lanes.map { $0 == .pointwise }
            if own.allSatisfy({ $0 }) { continue }
            let (d, r) = (named("gateDeltas", "\(k * w)"), named("recurrentDeltas", "\(k * w)"))
            if !own.contains(true) {
                s.line("put(chunk(delta, \(d)), delta, \(r))")
            } else {
                let mask = literal(own.map { $0 ? "1" : "0" })
                s.line("put(chunk(delta, \(d)).replacing(with: chunk(delta, \(r)), where: \(mask) .> 0), delta, \(r))")
            }
        }
    }
}
