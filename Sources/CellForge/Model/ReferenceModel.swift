/// A whole model in plain loops over arrays: the reference cells stacked, each reading the
/// h_t of the one below, and a plain dense head. The oracle for `ModelDriver` and
/// `ModelStream`, as the reference cells are for the kernels; it allocates freely.
///
/// States are model states: each layer's [h, c (LSTM)], layer-major.
public struct ReferenceModel<Scalar: CellScalar>: Sendable {
    /// What `forward` records for `backward`.
    public struct Trace: Sendable {
        /// Each layer's trace, bottom first.
        public let layers: [SequenceTrace<Scalar>]
        /// The model's outputs y_t (T vectors of O).
        public let outputs: [[Scalar]]
        /// The final model state.
        public var finalState: [Scalar] { layers.flatMap { $0.finalHidden + $0.finalCell } }
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
    private let cells: [any ReferenceCell<Scalar>]

    /// A reference model computing with `parameters`.
    public init(parameters: ModelParameters<Scalar>) throws {
        self.parameters = parameters
        cells = try parameters.layers.map { p -> any ReferenceCell<Scalar> in
            switch p.kind {
            case .lstm: try ReferenceLSTM(parameters: p)
            case .rnn: try ReferenceRNN(parameters: p)
            case .gru: try ReferenceGRU(parameters: p)
            }
        }
    }

    /// Runs the model over x_1…x_T (T ≥ 1 vectors of D) from `initialState` (zeros where nil).
    /// - Throws: `CellForgeError` for a wrong shape.
    public func forward(_ inputs: [[Scalar]], initialState: [Scalar]? = nil) throws -> Trace {
        let stateSize = cells.reduce(0) { $0 + $1.hiddenSize * $1.kind.stateVectorCount }
        let state = initialState ?? Array(repeating: 0, count: stateSize)
        guard state.count == stateSize else {
            throw CellForgeError.shapeMismatch(name: "initial model state", expected: "\(stateSize) values", actual: "\(state.count)")
        }
        var traces: [SequenceTrace<Scalar>] = [], x = inputs, offset = 0
        for cell in cells {
            let H = cell.hiddenSize
            let h0 = Array(state[offset..<(offset + H)])
            let c0 = cell.kind == .lstm ? Array(state[(offset + H)..<(offset + 2 * H)]) : nil
            offset += H * cell.kind.stateVectorCount
            let trace = try cell.forward(x, initialHidden: h0, initialCell: c0)
            traces.append(trace)
            x = trace.hidden
        }
        guard let head = parameters.head else { return Trace(layers: traces, outputs: x) }
        let (O, H) = (head.shape.outputSize, head.shape.inputSize)
        let y = x.map { h in
            (0..<O).map { o in
                var z = head.values[O * H + o]
                for j in 0..<H { z += head.values[o * H + j] * h[j] }
                return Self.activate(z, head.shape.activation)
            }
        }
        return Trace(layers: traces, outputs: y)
    }

    /// Backpropagation through the head and every layer.
    /// - Parameters:
    ///   - outputGradients: ∂L/∂y_t (T vectors of O).
    ///   - finalStateGradient: ∂L/∂ of the final model state, or nil for zero.
    /// - Throws: `CellForgeError` for a wrong shape.
    public func backward(_ trace: Trace, outputGradients: [[Scalar]], finalStateGradient: [Scalar]? = nil) throws -> Gradients {
        var grads = try ModelParameters<Scalar>(zerosFor: parameters.architecture)
        var delta = outputGradients
        if let head = parameters.head {
            let (O, H) = (head.shape.outputSize, head.shape.inputSize)
            let hs = trace.layers[trace.layers.count - 1].hidden
            var headGradient = DenseParameters<Scalar>(shape: head.shape)
            delta = try zip(hs, zip(trace.outputs, outputGradients)).map { h, yd in
                let (y, dy) = yd
                guard dy.count == O else {
                    throw CellForgeError.shapeMismatch(name: "output gradient", expected: "\(O) values", actual: "\(dy.count)")
                }
                var dh = [Scalar](repeating: 0, count: H)
                for o in 0..<O {
                    let dz = dy[o] * Self.derivative(y[o], head.shape.activation)
                    for j in 0..<H {
                        headGradient.values[o * H + j] += dz * h[j]
                        dh[j] += head.values[o * H + j] * dz
                    }
                    headGradient.values[O * H + o] += dz
                }
                return dh
            }
            grads.head = headGradient
        }
        let sizes = cells.map { $0.hiddenSize * $0.kind.stateVectorCount }
        let finalGradient = finalStateGradient ?? Array(repeating: 0, count: sizes.reduce(0, +))
        var initial = [[Scalar]](repeating: [], count: cells.count)
        for l in cells.indices.reversed() {
            let (cell, H) = (cells[l], cells[l].hiddenSize)
            let offset = sizes[..<l].reduce(0, +)
            let dh = Array(finalGradient[offset..<(offset + H)])
            let dc = cell.kind == .lstm ? Array(finalGradient[(offset + H)..<(offset + 2 * H)]) : nil
            let g = try cell.backward(trace.layers[l], outputGradients: delta, finalHiddenGradient: dh, finalCellGradient: dc)
            grads.layers[l] = g.parameters
            initial[l] = g.initialHidden + g.initialCell
            delta = g.inputs
        }
        return Gradients(parameters: grads, inputs: delta, initialState: initial.flatMap { $0 })
    }

    /// activation(z), written out here so the oracle shares no code with `DenseHead`.
    private static func activate(_ z: Scalar, _ activation: HeadActivation) -> Scalar {
        switch activation {
        case .identity: z
        case .tanh: Scalar.tanh(z)
        case .sigmoid: 1 / (1 + Scalar.exp(-z))
        }
    }

    /// d activation/dz from y = activation(z): 1, 1 − y², y(1 − y).
    private static func derivative(_ y: Scalar, _ activation: HeadActivation) -> Scalar {
        switch activation {
        case .identity: 1
        case .tanh: 1 - y * y
        case .sigmoid: y * (1 - y)
        }
    }
}
