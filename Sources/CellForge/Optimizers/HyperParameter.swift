/// Checks of optimizer settings and state shared by the optimizers.
enum HyperParameter {
    /// Throws unless `value` is finite and > 0.
    static func checkPositive<S: CellScalar>(_ name: String, _ value: S) throws {
        guard value.isFinite, value > 0 else {
            throw CellForgeError.invalidArgument("invalid \(name) \(value): must be finite and greater than 0")
        }
    }

    /// Throws unless 0 ≤ `value` < 1.
    static func checkUnitInterval<S: CellScalar>(_ name: String, _ value: S) throws {
        guard value >= 0, value < 1 else {
            throw CellForgeError.invalidArgument("invalid \(name) \(value): must be at least 0 and less than 1")
        }
    }

    /// Throws unless optimizer state of `count` values (0 before the first step) fits `parameterCount` parameters.
    static func checkState(_ name: String, _ count: Int, _ parameterCount: Int) throws {
        guard count == 0 || count == parameterCount else {
            throw CellForgeError.shapeMismatch(name: name, expected: "\(parameterCount) values (one per parameter)",
                                               actual: "\(count)")
        }
    }
}
