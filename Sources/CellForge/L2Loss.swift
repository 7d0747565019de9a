/// The L2 loss of seed 002: E = Σ_t Σ_k ½(h_t[k] − y_t[k])², summed over steps and units.
public enum L2Loss {
    /// The loss of `outputs` against `targets` (same shapes).
    /// - Throws: `CellForgeError.shapeMismatch` if the shapes differ.
    public static func value<S: CellScalar>(outputs: [[S]], targets: [[S]]) throws -> S {
        try check(outputs, targets)
        var sum: S = 0
        for (h, y) in zip(outputs, targets) { for (a, b) in zip(h, y) { sum += (a - b) * (a - b) / 2 } }
        return sum
    }

    /// ∂E/∂h_t = h_t − y_t for every step: the upstream gradients Δ_t for backward.
    /// - Throws: `CellForgeError.shapeMismatch` if the shapes differ.
    public static func gradient<S: CellScalar>(outputs: [[S]], targets: [[S]]) throws -> [[S]] {
        try check(outputs, targets)
        return zip(outputs, targets).map { h, y in zip(h, y).map { $0 - $1 } }
    }

    private static func check<S>(_ outputs: [[S]], _ targets: [[S]]) throws {
        guard outputs.count == targets.count else {
            throw CellForgeError.shapeMismatch(name: "targets", expected: "\(outputs.count) steps", actual: "\(targets.count)")
        }
        for (t, (h, y)) in zip(outputs, targets).enumerated() where h.count != y.count {
            throw CellForgeError.shapeMismatch(name: "target y_\(t + 1)", expected: "\(h.count) values", actual: "\(y.count)")
        }
    }
}
