import CellForge
import Foundation

/// Streams a weights file's expected inputs through the kernel the registry picks, a few
/// samples per call with the state carried over, and compares with PyTorch's outputs.
struct Stream: KernelOpener {
    /// The state_dict and the cell it belongs to.
    let weights: SafeTensors
    let kind: CellKind
    /// x [T, D] and PyTorch's h [T, H].
    let expected: SafeTensors
    /// Samples per call: the stream arrives in pieces.
    let piece: Int

    /// What one stream gave.
    struct Outcome {
        let steps: Int
        let lastOutput: [Double]
        let maxDifference: Double
    }

    func open<K: GeneratedKernel>(_ kernel: K) throws -> Outcome {
        typealias S = K.Scalar
        let parameters = try PyTorchWeights.parameters(kind, from: weights, as: S.self)
        let driver = try BatchDriver(kernel: kernel, parameters: parameters, workerCount: 1)
        guard let x = expected["x"], let h = expected["h"], x.shape.count == 2, h.shape.count == 2,
              x.shape[1] == kernel.inputSize, h.shape == [x.shape[0], kernel.hiddenSize] else {
            throw CellForgeError.shapeMismatch(name: "expected x and h", expected: "[T, \(kernel.inputSize)] and [T, \(kernel.hiddenSize)]",
                                               actual: "\(expected["x"]?.shape ?? []) and \(expected["h"]?.shape ?? [])")
        }
        let (T, D, H) = (x.shape[0], kernel.inputSize, kernel.hiddenSize)
        let inputs: [S] = x.values(), reference: [S] = h.values()
        var state = [S](repeating: 0, count: kernel.stateSize)
        var outputs: [S] = []
        outputs.reserveCapacity(T * H)
        for start in stride(from: 0, to: T, by: piece) {
            let n = min(piece, T - start)
            let batch = try SequenceBatch(inputs: Array(inputs[start * D..<(start + n) * D]), lengths: [n], inputSize: D)
            outputs += try driver.infer(batch, states: &state)
        }
        let difference = zip(outputs, reference).map { abs(Double($0) - Double($1)) }.max() ?? 0
        return Outcome(steps: T, lastOutput: outputs.suffix(H).map { Double($0) }, maxDifference: difference)
    }
}

/// The cell, H, D and scalar type of a PyTorch single-layer state_dict, from its tensors:
/// `weight_hh_l0` is [G·H, H] with G = 4 (LSTM), 3 (GRU) or 1 (tanh RNN), `weight_ih_l0` [G·H, D].
func kernelKey(of weights: SafeTensors) throws -> (KernelKey, CellKind) {
    guard let hh = weights["weight_hh_l0"], let ih = weights["weight_ih_l0"], hh.shape.count == 2, ih.shape.count == 2,
          hh.shape[1] > 0, hh.shape[0] % hh.shape[1] == 0, ih.shape[0] == hh.shape[0] else {
        throw CellForgeError.invalidFormat("not a single-layer PyTorch LSTM, GRU or RNN state_dict (weight_ih_l0, weight_hh_l0)")
    }
    let H = hh.shape[1], G = hh.shape[0] / H
    guard let kind = CellKind.allCases.first(where: { $0.gateCount == G }) else {
        throw CellForgeError.invalidFormat("weight_hh_l0 is [\(G * H), \(H)]: \(G) gate blocks match no cell (LSTM 4, GRU 3, RNN 1)")
    }
    let key = KernelKey(kind: kind, hiddenSize: H, inputSize: ih.shape[1], scalar: hh.dtype == .f64 ? .double : .float)
    return (key, kind)
}
