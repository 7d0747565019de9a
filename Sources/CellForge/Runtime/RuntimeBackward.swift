extension RuntimeCell {
    /// Backpropagation through the `length` steps `forward` recorded in `tape`; adds the
    /// parameter gradient to `g` (see `RecurrentKernel.backward`).
    func backward(_ w: UnsafePointer<S>, _ x: UnsafePointer<S>, _ length: Int, _ tape: UnsafeMutablePointer<S>,
                  _ dy: UnsafePointer<S>?, _ dFinal: UnsafePointer<S>?, _ dx: UnsafeMutablePointer<S>?,
                  _ dInitial: UnsafeMutablePointer<S>?, _ g: UnsafeMutablePointer<S>) {
        let (H, D, Hp, stride) = (layout.hiddenSize, layout.inputSize, layout.paddedHidden, layout.recordStride)
        let (P, chunks) = (layout.laneCount, layout.chunkCount)
        let deltas = tape + (length + 1) * stride, carryH = deltas + length * layout.deltaStride, carryC = carryH + Hp
        // Carried δ of the state, from the final state's gradient; padding lanes zero.
        carryH.update(repeating: 0, count: layout.scratchCount)
        if let dFinal {
            carryH.update(from: dFinal, count: H)
            if layout.kind == .lstm { carryC.update(from: dFinal + H, count: H) }
        }
        let u = w + layout.recurrentOffset
        for t in Swift.stride(from: length, to: 0, by: -1) {
            let cur = tape + t * stride, prev = cur - stride, delta = deltas + (t - 1) * layout.deltaStride
            if let dy { for k in 0..<H { carryH[k] += dy[(t - 1) * H + k] } }
            gateDeltas(prev, cur, delta, carryH, carryC)
            // δh_{t−1} = Uᵀ·δz (GRU: plus δh ⊙ u); δx_t = Wᵀ·δz.
            let recurrent = layout.kind == .gru ? delta + P : delta
            let update = cur + layout.gatesOffset + Hp
            for j in 0..<H {
                let viaU = Self.dot(u + j * P, recurrent, chunks)
                carryH[j] = layout.kind == .gru ? SIMDMath.madd(viaU, carryH[j], update[j]) : viaU
            }
            if let dx {
                for j in 0..<D { dx[(t - 1) * D + j] = Self.dot(w + j * P, delta, chunks) }
            }
        }
        if let dInitial {
            dInitial.update(from: carryH, count: H)
            if layout.kind == .lstm { (dInitial + H).update(from: carryC, count: H) }
        }
        addParameterGradient(x, length, tape, g)
    }

    /// δz of one step into `delta` from the carried δh (and δc, which it updates to δc_{t−1}).
    @inline(__always)
    private func gateDeltas(_ prev: UnsafePointer<S>, _ cur: UnsafePointer<S>, _ delta: UnsafeMutablePointer<S>,
                            _ carryH: UnsafeMutablePointer<S>, _ carryC: UnsafeMutablePointer<S>) {
        let (Hp, n, g, P) = (layout.paddedHidden, V.scalarCount, layout.gatesOffset, layout.laneCount)
        switch layout.kind {
        case .lstm:
            for k in Swift.stride(from: 0, to: Hp, by: n) {
                let dh = Self.load(carryH, k)
                let a = Self.load(cur, g + k), i = Self.load(cur, g + Hp + k)
                let f = Self.load(cur, g + 2 * Hp + k), o = Self.load(cur, g + 3 * Hp + k)
                let tanhC = Self.load(cur, layout.tanhCellOffset + k)
                let dc = SIMDMath.madd(Self.load(carryC, k), dh * o, 1 - tanhC * tanhC)
                Self.store(dc * i * (1 - a * a), delta, k)
                Self.store(dc * a * (i - i * i), delta, Hp + k)
                Self.store(dc * Self.load(prev, layout.cellOffset + k) * (f - f * f), delta, 2 * Hp + k)
                Self.store(dh * tanhC * (o - o * o), delta, 3 * Hp + k)
                Self.store(dc * f, carryC, k)
            }
        case .rnn:
            for k in Swift.stride(from: 0, to: Hp, by: n) {
                let y = Self.load(cur, g + k)
                Self.store(Self.load(carryH, k) * (1 - y * y), delta, k)
            }
        case .rnnReLU:
            for k in Swift.stride(from: 0, to: Hp, by: n) {
                let y = Self.load(cur, g + k)
                Self.store(Self.load(carryH, k).replacing(with: 0, where: y .<= 0), delta, k)
            }
        case .gru:
            for k in Swift.stride(from: 0, to: Hp, by: n) {
                let dh = Self.load(carryH, k)
                let r = Self.load(cur, g + k), u = Self.load(cur, g + Hp + k), c = Self.load(cur, g + 2 * Hp + k)
                let hn = Self.load(cur, layout.candidateOffset + k)
                let dn = dh * (1 - u) * (1 - c * c)
                let du = dh * (Self.load(prev, k) - c) * (u - u * u)
                let dr = dn * hn * (r - r * r)
                Self.store(dr, delta, k); Self.store(du, delta, Hp + k); Self.store(dn, delta, 2 * Hp + k)
                Self.store(dr, delta, P + k); Self.store(du, delta, P + Hp + k); Self.store(r * dn, delta, P + 2 * Hp + k)
            }
        }
    }

    /// Σ of a[i]·b[i] over `chunks` vectors.
    @inline(__always)
    static func dot(_ a: UnsafePointer<S>, _ b: UnsafePointer<S>, _ chunks: Int) -> S {
        let n = V.scalarCount
        var s0 = V(), s1 = V(), i = 0
        while i + 2 <= chunks {
            s0 = SIMDMath.madd(s0, load(a, i * n), load(b, i * n))
            s1 = SIMDMath.madd(s1, load(a, (i + 1) * n), load(b, (i + 1) * n))
            i += 2
        }
        if i < chunks { s0 = SIMDMath.madd(s0, load(a, i * n), load(b, i * n)) }
        return (s0 + s1).sum()
    }

    /// Adds Σ_t of each step's parameter gradient to `g`, from the deltas left in the tape:
    /// δW[·, j] += δz_t·x_t[j], δU[·, j] += δz_t·h_{t−1}[j], δb += δz_t (GRU: the recurrent δz for U
    /// and b_hn), each column's sum over t in step order.
    private func addParameterGradient(_ x: UnsafePointer<S>, _ length: Int, _ tape: UnsafePointer<S>,
                                      _ g: UnsafeMutablePointer<S>) {
        let (H, D, Hp, P) = (layout.hiddenSize, layout.inputSize, layout.paddedHidden, layout.laneCount)
        let (deltas, ds, stride) = (tape + (length + 1) * layout.recordStride, layout.deltaStride, layout.recordStride)
        let recurrent = layout.kind == .gru ? P : 0
        for j in 0..<D {
            addColumn(g + layout.columnOffset(j), lanes: P, deltas, ds, length) { x[$0 * D + j] }
        }
        for j in 0..<H {
            addColumn(g + layout.columnOffset(D + j), lanes: P, deltas + recurrent, ds, length) { tape[$0 * stride + j] }
        }
        addColumn(g + layout.biasOffset, lanes: P, deltas, ds, length) { _ in 1 }
        if layout.kind == .gru {
            addColumn(g + layout.recurrentBiasOffset, lanes: Hp, deltas + P + 2 * Hp, ds, length) { _ in 1 }
        }
    }

    /// column[0..<lanes] += Σ_t δ_t[0..<lanes]·factor(t), δ_t at `deltas + t·deltaStride`; four vectors at a time.
    @inline(__always)
    private func addColumn(_ column: UnsafeMutablePointer<S>, lanes: Int, _ deltas: UnsafePointer<S>, _ deltaStride: Int,
                           _ length: Int, _ factor: (Int) -> S) {
        let n = V.scalarCount
        var lane = 0
        while lane + 4 * n <= lanes {
            var a0 = Self.load(column, lane), a1 = Self.load(column, lane + n)
            var a2 = Self.load(column, lane + 2 * n), a3 = Self.load(column, lane + 3 * n)
            for t in 0..<length {
                let v = V(repeating: factor(t)), d = deltas + t * deltaStride + lane
                a0 = SIMDMath.madd(a0, Self.load(d, 0), v); a1 = SIMDMath.madd(a1, Self.load(d, n), v)
                a2 = SIMDMath.madd(a2, Self.load(d, 2 * n), v); a3 = SIMDMath.madd(a3, Self.load(d, 3 * n), v)
            }
            Self.store(a0, column, lane); Self.store(a1, column, lane + n)
            Self.store(a2, column, lane + 2 * n); Self.store(a3, column, lane + 3 * n)
            lane += 4 * n
        }
        while lane < lanes {
            var a = Self.load(column, lane)
            for t in 0..<length { a = SIMDMath.madd(a, Self.load(deltas, t * deltaStride + lane), V(repeating: factor(t))) }
            Self.store(a, column, lane)
            lane += n
        }
    }
}
