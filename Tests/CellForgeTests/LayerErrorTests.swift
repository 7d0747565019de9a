import CellForge
import Testing

/// Bad sizes and constants of the dense and activation layers give one-line errors naming the
/// quantity, what was expected and what was found.
@Suite struct LayerErrorTests {
    func message(_ body: () throws -> Void) -> String? {
        do { try body() } catch { return "\(error)" }
        return nil
    }

    @Test func messages() throws {
        let prelu = try ActivationLayerShape(kind: .prelu, size: 4)
        let tanh = try ActivationLayerShape(kind: .tanh, size: 4)
        let dense = try DenseLayerShape(inputSize: 3, outputSize: 2)
        let cases: [(String?, String)] = [
            (message { _ = try ActivationParameters<Float>(shape: prelu, values: [1, 2, 3]) },
             "shape mismatch for prelu slopes: expected 4 values [4], got 3"),
            (message { _ = try ActivationParameters<Float>(shape: tanh, values: [1]) },
             "shape mismatch for tanh activation parameters: expected 0 values [0], got 1"),
            (message { _ = try DenseLayerShape(inputSize: 0, outputSize: 2) },
             "invalid dense input size 0: must be between 1 and 4096"),
            (message { _ = try DenseLayerShape(inputSize: 2, outputSize: 4097) },
             "invalid dense output size 4097: must be between 1 and 4096"),
            (message { _ = try ActivationLayerShape(kind: .relu, size: 0) },
             "invalid activation size 0: must be between 1 and 4096"),
            (message { _ = try ActivationLayerShape(kind: .elu(alpha: .infinity), size: 2) },
             "elu(inf) constant must be finite, got inf"),
            (message { _ = try ActivationLayerShape(kind: .leakyReLU(slope: .nan), size: 2) },
             "leaky_relu(nan) constant must be finite, got nan"),
            (message { _ = try ReferenceLayers.dense(dense, parameters: [Float](repeating: 0, count: 7), input: [1, 2, 3]) },
             "shape mismatch for dense parameters: expected 8 values [2 × 3] then [2], got 7"),
            (message { _ = try ReferenceLayers.dense(dense, parameters: [Float](repeating: 0, count: 8), input: [1, 2]) },
             "shape mismatch for dense input: expected 3 values [3], got 2"),
            (message { _ = try ReferenceLayers.activation(prelu, parameters: [Double](), input: [1, 2, 3, 4]) },
             "shape mismatch for prelu slopes: expected 4 values [4], got 0"),
            (message { _ = try ReferenceLayers.activation(tanh, parameters: [Double](), input: [1, 2, 3]) },
             "shape mismatch for tanh activation input: expected 4 values [4], got 3"),
        ]
        for (found, expected) in cases {
            #expect(found == expected)
            #expect(found?.contains("\n") == false)
        }
    }
}
