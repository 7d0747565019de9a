import CellForge
import Foundation
import Testing

/// Formats that store two biases CellForge keeps as one (PyTorch's bias_ih + bias_hh, Keras
/// GRU's input and recurrent rows): two finite values whose sum is out of Float's range are
/// refused naming both, not read as infinity (the Keras fuzzer found the latter).
@Suite struct BiasSumOverflowTests {
    static let big = Float.greatestFiniteMagnitude * 0.75

    @Test func pyTorchBiasesThatOverflowTogetherAreRefused() throws {
        let (H, D) = (2, 1)
        var bih = [Float](repeating: 0.1, count: 4 * H), bhh = bih
        bih[3] = Self.big
        bhh[3] = Self.big
        let file = SafeTensors(tensors: [
            "weight_ih_l0": try .init(shape: [4 * H, D], values: [Float](repeating: 0.2, count: 4 * H * D)),
            "weight_hh_l0": try .init(shape: [4 * H, H], values: [Float](repeating: 0.3, count: 4 * H * H)),
            "bias_ih_l0": try .init(shape: [4 * H], values: bih), "bias_hh_l0": try .init(shape: [4 * H], values: bhh),
        ])
        #expect { try PyTorchWeights.parameters(.lstm, from: file, as: Float.self) } throws: {
            let text = "\($0)"
            return text.contains("bias_ih_l0 value 3") && text.contains("bias_hh_l0 value 3") && text.contains("out of Float range")
        }
        #expect((try? PyTorchWeights.parameters(.lstm, from: file, as: Double.self)) != nil, "the same sum fits in Double")
    }

    @Test func kerasGRUBiasRowsThatOverflowTogetherAreRefused() throws {
        let (H, D) = (2, 1)
        var bias = [Float](repeating: 0.1, count: 2 * 3 * H)
        bias[1] = -Self.big
        bias[3 * H + 1] = -Self.big
        let file = SafeTensors(tensors: [
            "kernel": try .init(shape: [D, 3 * H], values: [Float](repeating: 0.2, count: 3 * H * D)),
            "recurrent_kernel": try .init(shape: [H, 3 * H], values: [Float](repeating: 0.3, count: 3 * H * H)),
            "bias": try .init(shape: [2, 3 * H], values: bias),
        ])
        #expect { try KerasWeights.parameters(.gru, from: file, as: Float.self) } throws: {
            let text = "\($0)"
            return text.contains("bias value 1") && text.contains("bias value 7") && text.contains("out of Float range")
        }
    }
}
