/// A whole model in plain loops over arrays: the reference cells for recurrent layers and
/// plain dense and activation layers (`ReferenceLayers`), each reading the outputs of the
/// layer before. The oracle for `ModelDriver` and `ModelStream`, as the reference cells are
/// for the kernels; it allocates freely.
///
/// States are model states: each recurrent layer's [h, c (LSTM)], layer-major.
public struct ReferenceModel<Scalar: CellScalar>: Sendable {
    /// What `forward` records for `backward`.
    public struct Trace: Sendable {
        /// Each layer's inputs (T vectors), in layer order.
        public let inputs: [[[Scalar]]]
        /// Each layer's outputs (T vectors), in layer order.
        public let layerOutputs: [[[Scalar]]]
        /// Each recurrent layer's trace, keyed by layer index.
        public let recurrent: [Int: SequenceTrace<Scalar>]
        /// The model's outputs y_t (T vectors of O).
        public var outputs: [[Scalar]] { layerOutputs[layerOutputs.count - 1] }
        /// The final model state.
        public var finalState: [Scalar] {
            recurrent.keys.sorted().flatMap { recurrent[$0]!.finalHidden + recurrent[$0]!.finalCell }
        }
    }

    /// What `backward` computes.
    public struct Gradients: Sendable {
        /// ∂L/∂ of every parameter.
        public var parameters: ModelParameters<Scalar>
        /// δx_t (T vectors of D).
        public var inputs: [[Scalar]]
        /// ∂L/∂ of the initial model state.
        public var initialState: [Scalar]
    }

    /// The parameters.
    public let parameters: ModelParameters<Scalar>
    private let cells: [Int: any ReferenceCell<Scalar>]

    /// A reference model computing with `parameters`.
    public init(parameters: ModelParameters<Scalar>) throws {
        self.parameters = parameters
        var cells: [Int: any ReferenceCell<Scalar>] = [:]
        for (l, layer) in parameters.layers.enumerated() {
            guard let p = layer.recurrent else { continue }
            cells[l] = switch p.kind {
            case .lstm: try ReferenceLSTM(parameters: p)
            case .rnn, .rnnReLU: try ReferenceRNN(parameters: p)
            case .gru: try ReferenceGRU(parameters: p)
            }
        }
        self.cells = cells
    }

    /// Runs the model over x_1…x_T (T ≥ 1 vectors of D) from `initialState` (zeros where nil).
    /// - Throws: `CellForgeError` for a wrong shape.
    public func forward(_ inputs: [[Scalar]], initialState: [Scalar]? = nil) throws -> Trace {
        let stateSize = parameters.architecture.layers.reduce(0) { $0 + $1.stateSize }
        let state = initialState ?? Array(repeating: 0, count: stateSize)
        guard state.count == stateSize else {
            throw CellForgeError.shapeMismatch(name: "initial model state", expected: "\(stateSize) values", actual: "\(state.count)")
        }
        var ins: [[[Scalar]]] = [], outs: [[[Scalar]]] = [], traces: [Int: SequenceTrace<Scalar>] = [:]
        var x = inputs, offset = 0
        for (l, layer) in parameters.layers.enumerated() {
            ins.append(x)
            if let cell = cells[l] {
                let H = cell.hiddenSize
                let h0 = Array(state[offset..<(offset + H)])
                let c0 = cell.kind == .lstm ? Array(state[(offset + H)..<(offset + 2 * H)]) : nil
                offset += H * cell.kind.stateVectorCount
                let trace = try cell.forward(x, initialHidden: h0, initialCell: c0)
                traces[l] = trace
                x = trace.hidden
            } else {
                x = try x.map { try ReferenceLayers.forward(layer, $0) }
            }
            outs.append(x)
        }
        return Trace(inputs: ins, layerOutputs: outs, recurrent: traces)
    }

    /// Backpropagation through every layer.
    /// - Parameters:
    ///   - outputGradients: ∂L/∂y_t (T vectors of O).
    ///   - finalStateGradient: ∂L/∂ of the final model state, or nil for zero.
    /// - Throws: `CellForgeError` for a wrong shape.
    public func backward(_ trace: Trace, outputGradients: [[Scalar]], finalStateGradient: [Scalar]? = nil) throws -> Gradients {
        var grads = ModelParameters<Scalar>(zerosFor: parameters.architecture)
        let O = parameters.architecture.outputSize
        if let bad = outputGradients.first(where: { $0.count != O }) {
            throw CellForgeError.shapeMismatch(name: "output gradient", expected: "\(O) values", actual: "\(bad.count)")
        }
        var delta = outputGradients
        let shapes = parameters.architecture.layers
        let stateOffsets = shapes.indices.map { l in shapes[..<l].reduce(0) { $0 + $1.stateSize } }
        let finalGradient = finalStateGradient ?? Array(repeating: 0, count: shapes.reduce(0) { $0 + $1.stateSize })
        var initial = [[Scalar]](repeating: [], count: shapes.count)
        for l in shapes.indices.reversed() {
            if let cell = cells[l] {
                let (H, offset) = (cell.hiddenSize, stateOffsets[l])
                let dh = Array(finalGradient[offset..<(offset + H)])
                let dc = cell.kind == .lstm ? Array(finalGradient[(offset + H)..<(offset + 2 * H)]) : nil
                let g = try cell.backward(trace.recurrent[l]!, outputGradients: delta, finalHiddenGradient: dh, finalCellGradient: dc)
                grads.layers[l] = .recurrent(g.parameters)
                initial[l] = g.initialHidden + g.initialCell
                delta = g.inputs
            } else {
                var g = grads.layers[l].values
                delta = delta.indices.map { t in
                    ReferenceLayers.backward(parameters.layers[l], input: trace.inputs[l][t], output: trace.layerOutputs[l][t],
                                                outputGradient: delta[t], parameterGradient: &g)
                }
                grads.layers[l].values = g
            }
        }
        return Gradients(parameters: grads, inputs: delta, initialState: initial.flatMap { $0 })
    }
}
