/// The parameters of one cell in CellForge's canonical layout.
///
/// All tensors live back to back in one flat array, `values`, in this order:
///
/// | tensor | shape        | element (row r, column j) at             |
/// |--------|--------------|------------------------------------------|
/// | `W`    | [G·H × D]    | `wOffset + r·D + j`                      |
/// | `U`    | [G·H × H]    | `uOffset + r·H + j`                      |
/// | `b`    | [G·H]        | `bOffset + r`                            |
/// | `b_hn` | [H] (GRU)    | `recurrentBiasOffset + k`                |
///
/// G is `kind.gateCount`; row r = g·H + k is unit k of gate g, gates in
/// `kind.gateNames` order ((a, i, f, o) for LSTM). Gradients use the same type
/// and layout, so optimizers can treat parameters and gradients as flat arrays.
public struct CellParameters<Scalar: CellScalar>: Equatable, Sendable {
    /// Which cell these parameters belong to.
    public let kind: CellKind
    /// H, the number of hidden units.
    public let hiddenSize: Int
    /// D, the length of each input vector.
    public let inputSize: Int
    /// All tensors, flat, in the order documented on the type.
    public var values: [Scalar]

    /// Largest hidden or input size accepted anywhere in CellForge.
    public static var maximumSize: Int { 4096 }

    /// Zero parameters for a cell of the given sizes.
    /// - Throws: `CellForgeError.invalidSize` unless 1 ≤ H, D ≤ `maximumSize`.
    public init(kind: CellKind, hiddenSize: Int, inputSize: Int) throws {
        try Self.validate(hiddenSize: hiddenSize, inputSize: inputSize)
        self.kind = kind
        self.hiddenSize = hiddenSize
        self.inputSize = inputSize
        self.values = Array(repeating: 0, count: Self.count(kind: kind, hiddenSize: hiddenSize, inputSize: inputSize))
    }

    /// Parameters from their tensors, each row-major as documented on the type.
    /// - Throws: `CellForgeError.shapeMismatch` naming the first tensor of the wrong length.
    public init(kind: CellKind, hiddenSize: Int, inputSize: Int,
                W: [Scalar], U: [Scalar], b: [Scalar], recurrentBias: [Scalar] = []) throws {
        try self.init(kind: kind, hiddenSize: hiddenSize, inputSize: inputSize)
        let rows = kind.gateCount * hiddenSize
        try Self.check("W", W.count, rows * inputSize, "[\(rows) × \(inputSize)]")
        try Self.check("U", U.count, rows * hiddenSize, "[\(rows) × \(hiddenSize)]")
        try Self.check("b", b.count, rows, "[\(rows)]")
        try Self.check("b_hn", recurrentBias.count, kind.hasRecurrentCandidateBias ? hiddenSize : 0,
                       kind.hasRecurrentCandidateBias ? "[\(hiddenSize)]" : "[0] (only GRU has b_hn)")
        values = W + U + b + recurrentBias
    }

    /// Parameters from a flat array already in canonical order.
    /// - Throws: `CellForgeError.shapeMismatch` if `values` has the wrong length.
    public init(kind: CellKind, hiddenSize: Int, inputSize: Int, values: [Scalar]) throws {
        try self.init(kind: kind, hiddenSize: hiddenSize, inputSize: inputSize)
        try Self.check("parameters", values.count, self.values.count, "[\(self.values.count)]")
        self.values = values
    }

    /// Parameters drawn uniformly from [−scale, scale] with a seeded generator (PyTorch's
    /// default uses scale = 1/√H). The same seed gives the same values on every platform.
    public static func random(kind: CellKind, hiddenSize: Int, inputSize: Int,
                              scale: Scalar? = nil, seed: UInt64) throws -> Self {
        var p = try Self(kind: kind, hiddenSize: hiddenSize, inputSize: inputSize)
        var rng = SplitMix64(seed: seed)
        let s = scale ?? 1 / Scalar(hiddenSize).squareRoot()
        for k in p.values.indices { p.values[k] = rng.nextSigned(Scalar.self) * s }
        return p
    }

    /// Number of scalars in the canonical layout for these sizes.
    public static func count(kind: CellKind, hiddenSize: Int, inputSize: Int) -> Int {
        let rows = kind.gateCount * hiddenSize
        return rows * (inputSize + hiddenSize + 1) + (kind.hasRecurrentCandidateBias ? hiddenSize : 0)
    }

    /// Throws unless 1 ≤ H, D ≤ `maximumSize`.
    public static func validate(hiddenSize: Int, inputSize: Int) throws {
        let allowed = "between 1 and \(maximumSize)"
        guard (1...maximumSize).contains(hiddenSize) else {
            throw CellForgeError.invalidSize(name: "hidden size", value: hiddenSize, allowed: allowed)
        }
        guard (1...maximumSize).contains(inputSize) else {
            throw CellForgeError.invalidSize(name: "input size", value: inputSize, allowed: allowed)
        }
    }

    private static func check(_ name: String, _ actual: Int, _ expected: Int, _ shape: String) throws {
        guard actual == expected else {
            throw CellForgeError.shapeMismatch(name: name, expected: "\(expected) values \(shape)",
                                               actual: "\(actual)")
        }
    }

    /// G·H, the number of rows of W and U.
    public var rowCount: Int { kind.gateCount * hiddenSize }
    /// Offset of W[0, 0] in `values`.
    public var wOffset: Int { 0 }
    /// Offset of U[0, 0] in `values`.
    public var uOffset: Int { rowCount * inputSize }
    /// Offset of b[0] in `values`.
    public var bOffset: Int { uOffset + rowCount * hiddenSize }
    /// Offset of b_hn[0] in `values` (equal to `values.count` for cells without it).
    public var recurrentBiasOffset: Int { bOffset + rowCount }

    /// W[r, j]: input weight from input j to gate row r.
    @inlinable public func w(_ r: Int, _ j: Int) -> Scalar { values[r * inputSize + j] }
    /// U[r, j]: recurrent weight from hidden unit j to gate row r.
    @inlinable public func u(_ r: Int, _ j: Int) -> Scalar { values[rowCount * inputSize + r * hiddenSize + j] }
    /// b[r]: bias of gate row r.
    @inlinable public func b(_ r: Int) -> Scalar { values[rowCount * (inputSize + hiddenSize) + r] }
    /// b_hn[k]: GRU recurrent candidate bias of unit k.
    @inlinable public func bhn(_ k: Int) -> Scalar { values[rowCount * (inputSize + hiddenSize + 1) + k] }

    /// The W tensor, row-major [G·H × D].
    public var W: ArraySlice<Scalar> { values[wOffset..<uOffset] }
    /// The U tensor, row-major [G·H × H].
    public var U: ArraySlice<Scalar> { values[uOffset..<bOffset] }
    /// The b tensor [G·H].
    public var b: ArraySlice<Scalar> { values[bOffset..<recurrentBiasOffset] }
    /// The GRU b_hn tensor [H]; empty for other cells.
    public var recurrentBias: ArraySlice<Scalar> { values[recurrentBiasOffset...] }

    /// Whether these parameters have the same kind and sizes as `other`.
    public func hasSameShape(as other: Self) -> Bool {
        kind == other.kind && hiddenSize == other.hiddenSize && inputSize == other.inputSize
    }

    /// Throws `CellForgeError` unless `other` has the same kind and sizes.
    public func checkSameShape(as other: Self, name: String) throws {
        guard kind == other.kind else { throw CellForgeError.cellMismatch(expected: kind, actual: other.kind) }
        guard hasSameShape(as: other) else {
            throw CellForgeError.shapeMismatch(name: name, expected: "H \(hiddenSize), D \(inputSize)",
                                               actual: "H \(other.hiddenSize), D \(other.inputSize)")
        }
    }
}

extension CellParameters {
    /// The same parameters in another scalar type (rounded to nearest).
    public func converted<Other: CellScalar>(to _: Other.Type = Other.self) -> CellParameters<Other> {
        // Shapes were validated when `self` was made, so this cannot fail.
        try! CellParameters<Other>(kind: kind, hiddenSize: hiddenSize, inputSize: inputSize,
                                   values: values.map { Other($0) })
    }
}
