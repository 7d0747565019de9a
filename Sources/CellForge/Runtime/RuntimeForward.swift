/// The run-time kernel's computation for one sequence on vectors `V`, every size read from a
/// `RuntimeLayout` (see `RuntimeKernel`).
struct RuntimeCell<V: RuntimeLanes> {
    typealias S = V.Scalar
    let layout: RuntimeLayout

    @inline(__always) static func load(_ p: UnsafePointer<S>, _ i: Int) -> V { SIMDMath.load(p, i) }
    @inline(__always) static func store(_ v: V, _ p: UnsafeMutablePointer<S>, _ i: Int) { SIMDMath.store(v, p, i) }

    /// Runs `length` steps from `state`, recording into `tape` (with `ring`, two records used in turn).
    func forward(_ w: UnsafePointer<S>, _ x: UnsafePointer<S>, _ length: Int, _ state: UnsafeMutablePointer<S>,
                 _ output: UnsafeMutablePointer<S>?, _ tape: UnsafeMutablePointer<S>, ring: Bool) {
        let (H, D, stride) = (layout.hiddenSize, layout.inputSize, layout.recordStride)
        // Record 0 is the initial state, padding lanes zero.
        tape.update(repeating: 0, count: stride)
        tape.update(from: state, count: H)
        if layout.kind == .lstm { (tape + layout.cellOffset).update(from: state + H, count: H) }
        var prev = tape
        for t in 0..<length {
            let cur = tape + (ring ? (t + 1) & 1 : t + 1) * stride
            gates(w, x + t * D, prev, cur)
            pointwise(prev, cur)
            if let output { (output + t * H).update(from: cur, count: H) }
            prev = cur
        }
        state.update(from: prev, count: H)
        if layout.kind == .lstm { (state + H).update(from: prev + layout.cellOffset, count: H) }
    }

    /// The activated gate group of one step into `cur`: z = b + W·x_t + U·h_{t−1}, four vectors at
    /// a time (the input and recurrent products in separate accumulators), then one activation each.
    @inline(__always)
    private func gates(_ w: UnsafePointer<S>, _ x: UnsafePointer<S>, _ prev: UnsafePointer<S>, _ cur: UnsafeMutablePointer<S>) {
        let (D, H, P, n) = (layout.inputSize, layout.hiddenSize, layout.laneCount, V.scalarCount)
        let (u, bias) = (w + layout.recurrentOffset, w + layout.biasOffset)
        var lane = 0
        while lane + 4 * n <= P {
            var z0 = Self.load(bias, lane), z1 = Self.load(bias, lane + n)
            var z2 = Self.load(bias, lane + 2 * n), z3 = Self.load(bias, lane + 3 * n)
            var r0 = V(), r1 = V(), r2 = V(), r3 = V()
            for j in 0..<D {
                let v = V(repeating: x[j]), c = w + j * P + lane
                z0 = SIMDMath.madd(z0, Self.load(c, 0), v); z1 = SIMDMath.madd(z1, Self.load(c, n), v)
                z2 = SIMDMath.madd(z2, Self.load(c, 2 * n), v); z3 = SIMDMath.madd(z3, Self.load(c, 3 * n), v)
            }
            for j in 0..<H {
                let v = V(repeating: prev[j]), c = u + j * P + lane
                r0 = SIMDMath.madd(r0, Self.load(c, 0), v); r1 = SIMDMath.madd(r1, Self.load(c, n), v)
                r2 = SIMDMath.madd(r2, Self.load(c, 2 * n), v); r3 = SIMDMath.madd(r3, Self.load(c, 3 * n), v)
            }
            activate(w, cur, lane, z0, r0); activate(w, cur, lane + n, z1, r1)
            activate(w, cur, lane + 2 * n, z2, r2); activate(w, cur, lane + 3 * n, z3, r3)
            lane += 4 * n
        }
        while lane < P {
            var z = Self.load(bias, lane), r = V()
            for j in 0..<D { z = SIMDMath.madd(z, Self.load(w, j * P + lane), V(repeating: x[j])) }
            for j in 0..<H { r = SIMDMath.madd(r, Self.load(u, j * P + lane), V(repeating: prev[j])) }
            activate(w, cur, lane, z, r)
            lane += n
        }
    }

    /// Stores the activated vector at gate lane `lane` from its input part `z` (with b) and
    /// recurrent part `r`. A GRU's candidate also records U_n·h + b_hn and reads r, whose
    /// vectors come earlier in the group and so are already stored.
    @inline(__always)
    private func activate(_ w: UnsafePointer<S>, _ cur: UnsafeMutablePointer<S>, _ lane: Int, _ z: V, _ r: V) {
        let Hp = layout.paddedHidden
        let y: V
        switch layout.kind {
        case .lstm: y = lane < Hp ? V.activatedTanh(z + r) : V.activatedSigmoid(z + r)
        case .rnn: y = V.activatedTanh(z + r)
        case .rnnReLU: y = pointwiseMax(z + r, V())
        case .gru:
            if lane < 2 * Hp {
                y = V.activatedSigmoid(z + r)
            } else {
                let k = lane - 2 * Hp
                let hn = r + Self.load(w, layout.recurrentBiasOffset + k)
                Self.store(hn, cur, layout.candidateOffset + k)
                y = V.activatedTanh(SIMDMath.madd(z, Self.load(cur, layout.gatesOffset + k), hn))
            }
        }
        Self.store(y, cur, layout.gatesOffset + lane)
    }

    /// The state update of one step from the activated gates in `cur`.
    @inline(__always)
    private func pointwise(_ prev: UnsafePointer<S>, _ cur: UnsafeMutablePointer<S>) {
        let (Hp, n, g) = (layout.paddedHidden, V.scalarCount, layout.gatesOffset)
        switch layout.kind {
        case .lstm:
            for k in stride(from: 0, to: Hp, by: n) {
                let a = Self.load(cur, g + k), i = Self.load(cur, g + Hp + k)
                let f = Self.load(cur, g + 2 * Hp + k), o = Self.load(cur, g + 3 * Hp + k)
                let c = SIMDMath.madd(f * Self.load(prev, layout.cellOffset + k), a, i)
                let tanhC = V.activatedTanh(c)
                Self.store(c, cur, layout.cellOffset + k)
                Self.store(tanhC, cur, layout.tanhCellOffset + k)
                Self.store(tanhC * o, cur, k)
            }
        case .rnn, .rnnReLU:
            for k in stride(from: 0, to: Hp, by: n) { Self.store(Self.load(cur, g + k), cur, k) }
        case .gru:
            for k in stride(from: 0, to: Hp, by: n) {
                let u = Self.load(cur, g + Hp + k), candidate = Self.load(cur, g + 2 * Hp + k)
                Self.store(SIMDMath.madd(candidate, u, Self.load(prev, k) - candidate), cur, k)
            }
        }
    }
}
