/// The tensors one layer's weights are made of, picked out of a `SafeTensors` by name
/// and checked, so that importers load all or nothing.
struct WeightSet {
    /// What is being read, for messages ("PyTorch LSTM state_dict").
    let source: String
    /// The name prefix (e.g. "encoder.lstm."), prepended to every tensor name.
    let prefix: String
    private let tensors: [String: SafeTensors.Tensor]

    /// Picks `names` (after `prefix`) out of `file`.
    /// - Parameter inScope: which of the file's other tensors count as unexpected (default:
    ///   those that start with `prefix`).
    /// - Throws: `CellForgeError.invalidFormat` naming every missing tensor and every
    ///   unexpected one in scope.
    init(_ names: [String], from file: SafeTensors, prefix: String, source: String,
         inScope: ((String) -> Bool)? = nil) throws {
        self.source = source
        self.prefix = prefix
        let wanted = Set(names.map { prefix + $0 })
        let missing = names.map { prefix + $0 }.filter { file[$0] == nil }
        let extra = file.names.filter { (inScope ?? { $0.hasPrefix(prefix) })($0) && !wanted.contains($0) }
        guard missing.isEmpty, extra.isEmpty else {
            let parts = [missing.isEmpty ? nil : "missing " + missing.map(SafeTensors.quoted).joined(separator: ", "),
                         extra.isEmpty ? nil : "unexpected " + extra.map(SafeTensors.quoted).joined(separator: ", ")]
            throw CellForgeError.invalidFormat("\(source): " + parts.compactMap { $0 }.joined(separator: "; "))
        }
        tensors = file.tensors.filter { wanted.contains($0.key) }
    }

    private init(source: String, prefix: String, tensors: [String: SafeTensors.Tensor]) {
        self.source = source
        self.prefix = prefix
        self.tensors = tensors
    }

    /// The shape of tensor `name` (without prefix).
    func shape(_ name: String) -> [Int] { tensors[prefix + name]!.shape }

    /// Throws naming the first of `expected` (names without prefix) whose shape differs, so that
    /// shapes are checked before any value is read or allocated.
    /// - Throws: `CellForgeError.shapeMismatch` naming the tensor and both shapes.
    func checkShapes(_ expected: [(name: String, shape: [Int])]) throws {
        if let t = expected.first(where: { shape($0.name) != $0.shape }) {
            throw mismatch(t.name, expected: SafeTensors.Tensor.format(t.shape))
        }
    }

    /// The values of tensor `name` as `S`, checked against `expected` shape, for finiteness,
    /// and for finite values too large for `S` (a Double 1e39 read as Float).
    /// - Throws: `CellForgeError.shapeMismatch` naming the tensor and both shapes, `.nonFinite`,
    ///   or `.invalidFormat` naming the tensor and value that is out of `S`'s range.
    func values<S: CellScalar>(_ name: String, shape expected: [Int], as _: S.Type = S.self) throws -> [S] {
        let tensor = tensors[prefix + name]!
        guard tensor.shape == expected else { throw mismatch(name, expected: SafeTensors.Tensor.format(expected)) }
        let values = tensor.values(as: S.self)
        if let k = values.firstIndex(where: { !$0.isFinite }) {
            let stored: Double = tensor.values()[k]
            guard !stored.isFinite else {
                throw CellForgeError.invalidFormat("\(source) tensor \(prefix + name): value \(k) (\(stored)) is out of \(S.typeName) range")
            }
            throw CellForgeError.nonFinite(name: "\(source) tensor \(prefix + name) (as \(S.typeName), value \(k) is \(values[k]))")
        }
        return values
    }

    /// a + b, the sum of value `k` of tensor `first` and value `l` of tensor `second` (two stored
    /// biases CellForge keeps as one).
    /// - Throws: `CellForgeError.invalidFormat` naming both values if the sum is out of `S`'s range.
    func sum<S: CellScalar>(_ a: S, _ b: S, of first: (name: String, index: Int), and second: (name: String, index: Int)) throws -> S {
        let sum = a + b
        guard sum.isFinite else {
            throw CellForgeError.invalidFormat("\(source): \(prefix + first.name) value \(first.index) (\(a)) + \(prefix + second.name) value "
                + "\(second.index) (\(b)) is out of \(S.typeName) range")
        }
        return sum
    }

    /// A shape mismatch error for tensor `name`, whose actual shape is filled in.
    func mismatch(_ name: String, expected: String) -> CellForgeError {
        .shapeMismatch(name: "\(source) tensor \(prefix + name)", expected: expected,
                       actual: SafeTensors.Tensor.format(tensors[prefix + name]!.shape))
    }

    /// (H, D) from a weight of shape [G·H, D] (`transposed`: [D, G·H]), validated.
    /// - Throws: `CellForgeError.shapeMismatch` unless it is 2-D with a first (last) dimension divisible by G,
    ///   or `.invalidSize` if H or D is outside CellForge's range.
    func sizes(from name: String, gates G: Int, transposed: Bool) throws -> (hidden: Int, input: Int) {
        let s = shape(name)
        let expected = transposed ? "[D, \(G)·H]" : "[\(G)·H, D]"
        guard s.count == 2 else { throw mismatch(name, expected: expected) }
        let (rows, input) = transposed ? (s[1], s[0]) : (s[0], s[1])
        guard rows > 0, rows % G == 0 else { throw mismatch(name, expected: expected) }
        try CellParameters<Double>.validate(hiddenSize: rows / G, inputSize: input)
        return (rows / G, input)
    }
}

extension WeightSet {
    /// The same tensors, with names read relative to `prefix` instead.
    func within(_ prefix: String) -> WeightSet { WeightSet(source: source, prefix: prefix, tensors: tensors) }
}
