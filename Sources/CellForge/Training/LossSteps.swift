/// The loops of the built-in losses, called with Float or Double buffers so that they run
/// specialised code: the losses are called through `any SequenceLoss`, whose generic witnesses
/// would otherwise convert every value through the generic `BinaryFloatingPoint` initialiser.
enum LossSteps {
    /// Σ(y − t)²·scale, writing Δ = 2·scale·(y − t).
    static func squaredError<S: CellScalar>(_ y: UnsafeBufferPointer<S>, _ t: UnsafeBufferPointer<S>,
                                            _ g: UnsafeMutableBufferPointer<S>, scale: Double) -> Double {
        var sum = 0.0
        for k in y.indices {
            let e = Double(y[k]) - Double(t[k])
            sum += e * e
            g[k] = S(2 * scale * e)
        }
        return sum * scale
    }

    /// Σ p[k]² with p the first-order pre-emphasis of x (p[k] = x[k] − a·x[k − O], from k = O),
    /// or Σ x[k]² without a coefficient.
    static func filteredEnergy<S: CellScalar>(_ x: UnsafeBufferPointer<S>, outputSize O: Int, coefficient: Double?) -> Double {
        var sum = 0.0
        guard let a = coefficient else {
            for k in x.indices { sum += Double(x[k]) * Double(x[k]) }
            return sum
        }
        for k in stride(from: O, to: x.count, by: 1) {
            let p = Double(x[k]) - a * Double(x[k - O])
            sum += p * p
        }
        return sum
    }

    /// Σ e_f² / divisor, with e_f the (pre-emphasised) error, writing Δ = ∂/∂y: g_f[k] − a·g_f[k + O]
    /// where g_f = 2·e_f / divisor.
    static func errorToSignal<S: CellScalar>(_ y: UnsafeBufferPointer<S>, _ t: UnsafeBufferPointer<S>,
                                             _ g: UnsafeMutableBufferPointer<S>, outputSize O: Int,
                                             coefficient: Double?, divisor: Double) -> Double {
        let scale = 2 / divisor
        guard let a = coefficient else {
            var sum = 0.0
            for k in y.indices {
                let e = Double(y[k]) - Double(t[k])
                sum += e * e
                g[k] = S(scale * e)
            }
            return sum / divisor
        }
        // The filtered error at k ≥ O: e[k] − a·e[k − O].
        func filtered(_ k: Int) -> Double {
            (Double(y[k]) - Double(t[k])) - a * (Double(y[k - O]) - Double(t[k - O]))
        }
        var sum = 0.0
        for k in y.indices {
            let here = k >= O ? filtered(k) : 0
            sum += here * here
            let next = k + O < y.count ? filtered(k + O) : 0
            g[k] = S(scale * (here - a * next))
        }
        return sum / divisor
    }
}

extension UnsafeBufferPointer {
    /// The same memory as `T` values (a contract: `T` is `Element`'s type).
    @inline(__always) func `as`<T>(_: T.Type) -> UnsafeBufferPointer<T> {
        UnsafeBufferPointer<T>(start: baseAddress.map { UnsafePointer<T>(OpaquePointer($0)) }, count: count)
    }
}

extension UnsafeMutableBufferPointer {
    /// The same memory as `T` values (a contract: `T` is `Element`'s type).
    @inline(__always) func `as`<T>(_: T.Type) -> UnsafeMutableBufferPointer<T> {
        UnsafeMutableBufferPointer<T>(start: baseAddress.map { UnsafeMutablePointer<T>(OpaquePointer($0)) }, count: count)
    }
}
