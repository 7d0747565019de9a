/// The shape of a dense layer applied at every time step: y_t = W·x_t + b with W [O × I], b [O].
public struct DenseLayerShape: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// I, scalars per input step.
    public let inputSize: Int
    /// O, scalars per output step.
    public let outputSize: Int

    /// A dense layer shape.
    /// - Throws: `CellForgeError.invalidSize` unless 1 ≤ I, O ≤ `CellParameters.maximumSize`.
    public init(inputSize: Int, outputSize: Int) throws {
        let allowed = "between 1 and \(CellParameters<Float>.maximumSize)"
        for (name, value) in [("dense input size", inputSize), ("dense output size", outputSize)]
        where !(1...CellParameters<Float>.maximumSize).contains(value) {
            throw CellForgeError.invalidSize(name: name, value: value, allowed: allowed)
        }
        self.inputSize = inputSize
        self.outputSize = outputSize
    }

    /// Scalars of the layer's parameters: O·I weights then O biases.
    public var parameterCount: Int { outputSize * (inputSize + 1) }

    /// "Dense 8 → 1".
    public var description: String { "Dense \(inputSize) → \(outputSize)" }
}
