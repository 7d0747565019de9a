/// The activation applied by a model's dense head.
public enum HeadActivation: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// y = z.
    case identity
    /// y = tanh(z).
    case tanh
    /// y = σ(z) = 1 / (1 + e^(−z)).
    case sigmoid

    public var description: String { rawValue }
}

/// The shape of one recurrent layer of a model: its cell and sizes.
public struct RecurrentLayerShape: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The cell.
    public let kind: CellKind
    /// H, the layer's hidden size (its output size).
    public let hiddenSize: Int
    /// D, the layer's input size (the model's input size for layer 0, the H below otherwise).
    public let inputSize: Int

    /// A layer shape.
    /// - Throws: `CellForgeError.invalidSize` unless 1 ≤ H, D ≤ `CellParameters.maximumSize`.
    public init(kind: CellKind, hiddenSize: Int, inputSize: Int) throws {
        try CellParameters<Float>.validate(hiddenSize: hiddenSize, inputSize: inputSize)
        self.kind = kind
        self.hiddenSize = hiddenSize
        self.inputSize = inputSize
    }

    /// "LSTM H8 D1".
    public var description: String { "\(kind.displayName) H\(hiddenSize) D\(inputSize)" }
}

/// The shape of a model's dense head: y = activation(V·h + c) with V [O × H], c [O].
public struct DenseHeadShape: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// H, the size of the top recurrent layer's output.
    public let inputSize: Int
    /// O, the number of outputs.
    public let outputSize: Int
    /// The activation after the affine map.
    public let activation: HeadActivation

    /// A head shape.
    /// - Throws: `CellForgeError.invalidSize` unless 1 ≤ inputSize, outputSize ≤ `CellParameters.maximumSize`.
    public init(inputSize: Int, outputSize: Int, activation: HeadActivation = .identity) throws {
        let allowed = "between 1 and \(CellParameters<Float>.maximumSize)"
        for (name, value) in [("head input size", inputSize), ("head output size", outputSize)]
        where !(1...CellParameters<Float>.maximumSize).contains(value) {
            throw CellForgeError.invalidSize(name: name, value: value, allowed: allowed)
        }
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.activation = activation
    }

    /// Scalars of the head's parameters: O·H weights then O biases.
    public var parameterCount: Int { outputSize * (inputSize + 1) }

    /// "Dense 8 → 1 (identity)".
    public var description: String { "Dense \(inputSize) → \(outputSize) (\(activation))" }
}

/// A model's architecture: a stack of recurrent layers, each reading the outputs of the
/// one below (layer 0 reads the model's inputs), and an optional dense head on the top
/// layer's outputs.
///
/// The model's output at step t is the head's output, or the top layer's h_t without a head.
public struct ModelArchitecture: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The recurrent layers, bottom first; at least one.
    public let layers: [RecurrentLayerShape]
    /// The dense head, or nil.
    public let head: DenseHeadShape?

    /// The most recurrent layers a model may have. Every model is built through
    /// `init(layers:head:)`, which enforces it, so every model that can be saved also loads.
    public static var maximumLayerCount: Int { 1024 }

    /// Throws unless 1 ≤ `layerCount` ≤ `maximumLayerCount`.
    /// - Throws: `CellForgeError.invalidSize` naming the count and the allowed range.
    public static func validate(layerCount: Int) throws {
        guard (1...maximumLayerCount).contains(layerCount) else {
            throw CellForgeError.invalidSize(name: "layer count", value: layerCount, allowed: "between 1 and \(maximumLayerCount)")
        }
    }

    /// An architecture from its parts.
    /// - Throws: `CellForgeError` if the layer count is outside `validate(layerCount:)`'s range,
    ///   or a layer's D is not the H of the layer below, or the head's input size is not the
    ///   top layer's H (naming the layer).
    public init(layers: [RecurrentLayerShape], head: DenseHeadShape? = nil) throws {
        try Self.validate(layerCount: layers.count)
        let top = layers[layers.count - 1]
        for l in layers.indices.dropFirst() where layers[l].inputSize != layers[l - 1].hiddenSize {
            throw CellForgeError.shapeMismatch(name: "layer \(l) input size",
                                               expected: "\(layers[l - 1].hiddenSize) (the hidden size of layer \(l - 1))",
                                               actual: "\(layers[l].inputSize)")
        }
        if let head, head.inputSize != top.hiddenSize {
            throw CellForgeError.shapeMismatch(name: "head input size",
                                               expected: "\(top.hiddenSize) (the hidden size of layer \(layers.count - 1))",
                                               actual: "\(head.inputSize)")
        }
        self.layers = layers
        self.head = head
    }

    /// A stack of one cell kind: `inputSize` → hiddenSizes[0] → hiddenSizes[1] → …, with an
    /// optional head of `outputSize` outputs.
    /// - Throws: `CellForgeError` for an empty stack or a size out of range.
    public init(kind: CellKind, inputSize: Int, hiddenSizes: [Int], outputSize: Int? = nil,
                activation: HeadActivation = .identity) throws {
        var layers: [RecurrentLayerShape] = []
        var below = inputSize
        for h in hiddenSizes {
            layers.append(try RecurrentLayerShape(kind: kind, hiddenSize: h, inputSize: below))
            below = h
        }
        let head = try outputSize.map { try DenseHeadShape(inputSize: below, outputSize: $0, activation: activation) }
        try self.init(layers: layers, head: head)
    }

    /// D of layer 0: scalars per input step.
    public var inputSize: Int { layers[0].inputSize }
    /// Scalars per output step: the head's O, or the top layer's H.
    public var outputSize: Int { head?.outputSize ?? layers[layers.count - 1].hiddenSize }

    /// "LSTM H8 D1 → LSTM H8 D8 → Dense 8 → 1 (identity)".
    public var description: String {
        (layers.map(\.description) + (head.map { [$0.description] } ?? [])).joined(separator: " → ")
    }
}
