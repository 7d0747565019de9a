import CellForge

/// Everything one model gradient call gives, in Double.
struct ModelOutcome {
    var loss: Double
    var gradient: ModelParameters<Double>
    var outputs: [Double]
    var finalStates: [Double]
    var initialStateGradients: [Double]
    var inputGradients: [Double]
}

enum ModelTestSupport {
    /// `driver.gradient` with every optional buffer, collected.
    static func outcome<S: CellScalar>(_ driver: ModelDriver<S>, _ batch: SequenceBatch<S>, initialStates: [S]?,
                                       supervision: ModelSupervision<S>, finalStateGradients: [S]? = nil) throws -> ModelOutcome {
        let O = driver.architecture.outputSize, S0 = driver.model.stateSize
        var outputs = [S](repeating: .nan, count: batch.totalSteps * O)
        var finals = [S](repeating: .nan, count: batch.count * S0)
        var dInitial = [S](repeating: .nan, count: batch.count * S0)
        var dx = [S](repeating: .nan, count: batch.inputs.count)
        let fsg = finalStateGradients ?? []
        let (loss, gradient) = try outputs.withUnsafeMutableBufferPointer { o in
            try finals.withUnsafeMutableBufferPointer { f in
                try dInitial.withUnsafeMutableBufferPointer { g in
                    try dx.withUnsafeMutableBufferPointer { x in
                        try fsg.withUnsafeBufferPointer { d in
                            try driver.gradient(batch, initialStates: initialStates, supervision: supervision,
                                                buffers: ModelStepBuffers(finalStateGradients: finalStateGradients == nil ? nil : d,
                                                                          initialStateGradients: g, finalStates: f,
                                                                          outputs: o, inputGradients: x))
                        }
                    }
                }
            }
        }
        return ModelOutcome(loss: loss, gradient: gradient.converted(to: Double.self), outputs: outputs.map(Double.init),
                            finalStates: finals.map(Double.init), initialStateGradients: dInitial.map(Double.init),
                            inputGradients: dx.map(Double.init))
    }

    /// The same quantities from the Double reference model, one sequence after another, with
    /// the MSE loss over the whole batch (mean over `Σ lengths · O` values).
    static func reference(_ parameters: ModelParameters<Double>, _ batch: SequenceBatch<Double>, initialStates: [Double]?,
                          targets: [Double], finalStateGradients: [Double]? = nil) throws -> ModelOutcome {
        let model = try ReferenceModel(parameters: parameters)
        let (D, O) = (parameters.architecture.inputSize, parameters.architecture.outputSize)
        let S = initialStates.map { $0.count / batch.count } ?? 0
        let count = Double(batch.totalSteps * O)
        var result = ModelOutcome(loss: 0, gradient: ModelParameters(zerosFor: parameters.architecture), outputs: [],
                                  finalStates: [], initialStateGradients: [], inputGradients: [])
        for n in 0..<batch.count {
            let (first, length) = (batch.stepOffsets[n], batch.lengths[n])
            let xs = (0..<length).map { Array(batch.inputs[((first + $0) * D)..<((first + $0 + 1) * D)]) }
            let ts = (0..<length).map { Array(targets[((first + $0) * O)..<((first + $0 + 1) * O)]) }
            let h0 = initialStates.map { Array($0[(n * S)..<((n + 1) * S)]) }
            let dT = finalStateGradients.map { Array($0[(n * S)..<((n + 1) * S)]) }
            guard length > 0 else {
                // No steps: the state passes through, and so does its gradient.
                result.finalStates += h0 ?? []
                result.initialStateGradients += dT ?? Array(repeating: 0, count: S)
                continue
            }
            let trace = try model.forward(xs, initialState: h0)
            var dy: [[Double]] = []
            for (y, t) in zip(trace.outputs, ts) {
                result.loss += zip(y, t).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / count
                dy.append(zip(y, t).map { 2 * ($0 - $1) / count })
            }
            let g = try model.backward(trace, outputGradients: dy, finalStateGradient: dT)
            for l in g.parameters.layers.indices {
                for k in g.parameters.layers[l].values.indices { result.gradient.layers[l].values[k] += g.parameters.layers[l].values[k] }
            }
            result.outputs += trace.outputs.flatMap { $0 }
            result.finalStates += trace.finalState
            result.initialStateGradients += g.initialState
            result.inputGradients += g.inputs.flatMap { $0 }
        }
        return result
    }

    /// A model of every layer kind in Float on the generated kernels' sizes, D 1 and O 1:
    /// Dense(1→8) → tanh → LSTM H8 D8 → PReLU → Dense(8→8) → relu → GRU H8 D8 → Dense(8→1) → sigmoid.
    static let mixedFloat = try! ModelArchitecture(layers: [
        .dense(DenseLayerShape(inputSize: 1, outputSize: 8)), .activation(ActivationLayerShape(kind: .tanh, size: 8)),
        .recurrent(RecurrentLayerShape(kind: .lstm, hiddenSize: 8, inputSize: 8)), .activation(ActivationLayerShape(kind: .prelu, size: 8)),
        .dense(DenseLayerShape(inputSize: 8, outputSize: 8)), .activation(ActivationLayerShape(kind: .relu, size: 8)),
        .recurrent(RecurrentLayerShape(kind: .gru, hiddenSize: 8, inputSize: 8)),
        .dense(DenseLayerShape(inputSize: 8, outputSize: 1)), .activation(ActivationLayerShape(kind: .sigmoid, size: 1)),
    ])

    /// A model of the other layer kinds in Double on the generated kernels' sizes: Dense(2→3) →
    /// leaky ReLU(0.2) → LSTM H5 D3 → ELU(0.7) → LSTM H5 D5 → identity → Dense(5→4) → softmax.
    static let mixedDouble = try! ModelArchitecture(layers: [
        .dense(DenseLayerShape(inputSize: 2, outputSize: 3)), .activation(ActivationLayerShape(kind: .leakyReLU(slope: 0.2), size: 3)),
        .recurrent(RecurrentLayerShape(kind: .lstm, hiddenSize: 5, inputSize: 3)), .activation(ActivationLayerShape(kind: .elu(alpha: 0.7), size: 5)),
        .recurrent(RecurrentLayerShape(kind: .lstm, hiddenSize: 5, inputSize: 5)), .activation(ActivationLayerShape(kind: .identity, size: 5)),
        .dense(DenseLayerShape(inputSize: 5, outputSize: 4)), .activation(ActivationLayerShape(kind: .softmax, size: 4)),
    ])

    /// Every scalar of a model's parameters (or gradient), flat in canonical order.
    static func flat<S: CellScalar>(_ p: ModelParameters<S>) -> [S] {
        p.layers.flatMap(\.values)
    }

    /// A random stacked model case: parameters in ±0.5, inputs and states in ±1, targets in ±0.5.
    static func randomCase<S: CellScalar>(_ architecture: ModelArchitecture, lengths: [Int], seed: UInt64, as _: S.Type = S.self)
    throws -> (parameters: ModelParameters<S>, batch: SequenceBatch<S>, states: [S], targets: [S]) {
        var rng = SplitMix64(seed: seed)
        var p = ModelParameters<S>.random(architecture, seed: seed)
        for l in p.layers.indices { p.layers[l].values = p.layers[l].values.map { _ in rng.nextSigned(S.self) / 2 } }
        let steps = lengths.reduce(0, +)
        let stateSize = architecture.layers.reduce(0) { $0 + $1.stateSize }
        let x = (0..<(steps * architecture.inputSize)).map { _ in rng.nextSigned(S.self) }
        let h0 = (0..<(lengths.count * stateSize)).map { _ in rng.nextSigned(S.self) }
        let y = (0..<(steps * architecture.outputSize)).map { _ in rng.nextSigned(S.self) / 2 }
        return (p, try SequenceBatch(inputs: x, lengths: lengths, inputSize: architecture.inputSize), h0, y)
    }
}
