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

/// A sequential model's architecture: layers applied in order at every time step, each
/// reading the outputs of the one before (layer 0 reads the model's inputs). Recurrent layers
/// carry state between steps; dense and activation layers act on each step alone.
///
/// The model's output at step t is the last layer's output.
public struct ModelArchitecture: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The layers, first (reading the inputs) first; at least one.
    public let layers: [LayerShape]

    /// The most layers a model may have. Every model is built through `init(layers:)`, which
    /// enforces it, so every model that can be saved also loads.
    public static var maximumLayerCount: Int { 1024 }

    /// Throws unless 1 ≤ `layerCount` ≤ `maximumLayerCount`.
    /// - Throws: `CellForgeError.invalidSize` naming the count and the allowed range.
    public static func validate(layerCount: Int) throws {
        guard (1...maximumLayerCount).contains(layerCount) else {
            throw CellForgeError.invalidSize(name: "layer count", value: layerCount, allowed: "between 1 and \(maximumLayerCount)")
        }
    }

    /// An architecture from its layers.
    /// - Throws: `CellForgeError` if the layer count is outside `validate(layerCount:)`'s range,
    ///   or a layer's input size is not the output size of the layer before (naming both layers).
    public init(layers: [LayerShape]) throws {
        try Self.validate(layerCount: layers.count)
        for l in layers.indices.dropFirst() where layers[l].inputSize != layers[l - 1].outputSize {
            throw CellForgeError.shapeMismatch(name: "layer \(l) (\(layers[l].kindName)) input size",
                                               expected: "\(layers[l - 1].outputSize) (the output size of layer \(l - 1), \(layers[l - 1]))",
                                               actual: "\(layers[l].inputSize)")
        }
        self.layers = layers
    }

    /// A recurrent stack with an optional dense head: `recurrent`, then Dense(H → `head`) when
    /// `head` is given, then `activation` unless it is identity (an activation without a head
    /// is applied to the top recurrent layer's outputs).
    /// - Throws: `CellForgeError` for sizes that do not chain or are out of range.
    public init(recurrent: [RecurrentLayerShape], head outputSize: Int? = nil, activation: ActivationKind = .identity) throws {
        var layers = recurrent.map(LayerShape.recurrent)
        let top = recurrent.last?.hiddenSize ?? 0
        if let outputSize { layers.append(.dense(try DenseLayerShape(inputSize: top, outputSize: outputSize))) }
        if activation != .identity {
            layers.append(.activation(try ActivationLayerShape(kind: activation, size: outputSize ?? top)))
        }
        try self.init(layers: layers)
    }

    /// A stack of one cell kind: `inputSize` → hiddenSizes[0] → hiddenSizes[1] → …, with an
    /// optional dense head of `outputSize` outputs followed by `activation`.
    /// - Throws: `CellForgeError` for an empty stack or a size out of range.
    public init(kind: CellKind, inputSize: Int, hiddenSizes: [Int], outputSize: Int? = nil,
                activation: ActivationKind = .identity) throws {
        var layers: [RecurrentLayerShape] = []
        var below = inputSize
        for h in hiddenSizes {
            layers.append(try RecurrentLayerShape(kind: kind, hiddenSize: h, inputSize: below))
            below = h
        }
        try Self.validate(layerCount: layers.count)
        try self.init(recurrent: layers, head: outputSize, activation: activation)
    }

    /// Scalars per input step: layer 0's input size.
    public var inputSize: Int { layers[0].inputSize }
    /// Scalars per output step: the last layer's output size.
    public var outputSize: Int { layers[layers.count - 1].outputSize }
    /// The recurrent layers' shapes, in order.
    public var recurrentLayers: [RecurrentLayerShape] { layers.compactMap(\.recurrent) }

    /// "LSTM H8 D1 → Dense 8 → 1 → tanh (1)".
    public var description: String { layers.map(\.description).joined(separator: " → ") }
}
