/// A packed layout of one cell's parameters column by column: column j (input j, then hidden
/// unit j − D, then the bias) holds every gate row at its lane, padding lanes zero, and GRU's
/// b_hn after the bias column. Generated kernels (`KernelLayout`) and the run-time kernel
/// (`RuntimeLayout`) pack this way; they differ in how lanes are padded.
public protocol ColumnMajorCellLayout: CustomStringConvertible {
    /// The cell.
    var kind: CellKind { get }
    /// H.
    var hiddenSize: Int { get }
    /// D.
    var inputSize: Int { get }
    /// Scalars of parameter storage.
    var parameterStorageCount: Int { get }
    /// Where unit k of gate g sits within a column.
    func lane(gate g: Int, unit k: Int) -> Int
    /// Where column j starts.
    func columnOffset(_ j: Int) -> Int
}

extension ColumnMajorCellLayout {
    /// Where the bias column starts.
    public var biasOffset: Int { columnOffset(inputSize + hiddenSize) }
    /// Where GRU's b_hn starts (after the bias column).
    public var recurrentBiasOffset: Int { columnOffset(inputSize + hiddenSize + 1) }

    /// Writes canonical parameters into storage (every padding lane set to zero).
    public func pack<S: CellScalar>(_ p: CellParameters<S>, into storage: UnsafeMutableBufferPointer<S>) {
        Contract.require(p.kind == kind && p.hiddenSize == hiddenSize && p.inputSize == inputSize,
                         "\(Self.self).pack: parameters are \(p.kind) H\(p.hiddenSize) D\(p.inputSize), layout is \(self)")
        Contract.require(storage.count == parameterStorageCount,
                         "\(Self.self).pack: storage has \(storage.count) scalars, expected \(parameterStorageCount)")
        storage.update(repeating: 0)
        forEachPair { canonical, stored in storage[stored] = p.values[canonical] }
    }

    /// Reads canonical parameters (or gradients) out of storage; padding lanes are ignored.
    public func unpack<S: CellScalar>(_ storage: UnsafeBufferPointer<S>) -> CellParameters<S> {
        Contract.require(storage.count == parameterStorageCount,
                         "\(Self.self).unpack: storage has \(storage.count) scalars, expected \(parameterStorageCount)")
        var p = try! CellParameters<S>(kind: kind, hiddenSize: hiddenSize, inputSize: inputSize)
        forEachPair { canonical, stored in p.values[canonical] = storage[stored] }
        return p
    }

    /// Calls `body(canonical index, storage index)` for every parameter.
    private func forEachPair(_ body: (Int, Int) -> Void) {
        let (H, D, rows) = (hiddenSize, inputSize, kind.gateCount * hiddenSize)
        for r in 0..<rows {
            let lane = lane(gate: r / H, unit: r % H)
            for j in 0..<D { body(r * D + j, columnOffset(j) + lane) }
            for j in 0..<H { body(rows * D + r * H + j, columnOffset(D + j) + lane) }
            body(rows * (D + H) + r, biasOffset + lane)
        }
        if kind.hasRecurrentCandidateBias {
            for k in 0..<H { body(rows * (D + H + 1) + k, recurrentBiasOffset + k) }
        }
    }
}
