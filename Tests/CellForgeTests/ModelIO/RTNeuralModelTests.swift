import CellForge
import Foundation
import Testing

/// RTNeural JSON model files, as RTNeural's own python/model_utils.py wrote one from a Keras
/// model, load and reproduce Keras's outputs; export writes what loads back exactly; every
/// layer CellForge lacks and every malformed array is refused naming the layer index and type.
@Suite struct RTNeuralModelTests {
    static let name = "rtneural_gru_lstm_dense_sigmoid"

    @Test func modelUtilsFileReproducesKeras() throws {
        let url = try ModelIOTestSupport.url(Self.name + ".json")
        let (x, y, _) = try ModelIOTestSupport.io(Self.name + ".outputs.json")
        let double = try RTNeuralModel.parameters(contentsOf: url, as: Double.self)
        #expect(double.architecture == (try ModelArchitecture(
            recurrent: [RecurrentLayerShape(kind: .gru, hiddenSize: 6, inputSize: 1), RecurrentLayerShape(kind: .lstm, hiddenSize: 4, inputSize: 6)],
            head: 1, activation: .sigmoid)))
        let d = try ModelIOTestSupport.maxError(double, x: x, expected: y)
        let f = try ModelIOTestSupport.maxError(RTNeuralModel.parameters(contentsOf: url, as: Float.self), x: x, expected: y)
        print("\(Self.name): Double max error \(d), Float \(f)")
        #expect(d <= ModelIOTolerance.keras && f <= ModelIOTolerance.keras, "Double \(d), Float \(f)")
    }

    @Test func exportReadsBackExactly() throws {
        for scalarSeed in [UInt64(3), 4] {
            let arch = try ModelArchitecture(recurrent: [RecurrentLayerShape(kind: .lstm, hiddenSize: 5, inputSize: 2),
                                                      RecurrentLayerShape(kind: .gru, hiddenSize: 3, inputSize: 5)],
                                             head: 2, activation: .tanh)
            let float = ModelParameters<Float>.random(arch, seed: scalarSeed)
            #expect(try RTNeuralModel.parameters(json: RTNeuralModel.json(float), as: Float.self) == float)
            let double = ModelParameters<Double>.random(arch, seed: scalarSeed)
            #expect(try RTNeuralModel.parameters(json: RTNeuralModel.json(double), as: Double.self) == double)
        }
        let rnn = try ModelParameters<Float>.random(ModelArchitecture(kind: .rnn, inputSize: 1, hiddenSizes: [4]), seed: 1)
        ModelIOTestSupport.expectError(["layer 0", "RNN", "RTNeural"]) { _ = try RTNeuralModel.json(rnn) }
    }

    /// The fixture's JSON with `edit` applied to its root object.
    func edited(_ edit: (inout [String: Any]) -> Void) throws -> Data {
        var root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: ModelIOTestSupport.url(Self.name + ".json"))) as? [String: Any])
        edit(&root)
        return try JSONSerialization.data(withJSONObject: root)
    }

    func layers(_ root: [String: Any]) -> [[String: Any]] { root["layers"] as! [[String: Any]] }

    @Test func badFilesAreRefusedNamingLayerIndexAndType() throws {
        func load(_ data: Data) throws { _ = try RTNeuralModel.parameters(json: data, as: Double.self) }
        let conv = try edited { root in var l = layers(root); l[1]["type"] = "conv1d"; root["layers"] = l }
        ModelIOTestSupport.expectError(["layer 1 (\"conv1d\")", "CellForge reads lstm, gru, dense"]) { try load(conv) }
        let swish = try edited { root in var l = layers(root); l[2]["activation"] = "swish"; root["layers"] = l }
        ModelIOTestSupport.expectError(["layer 2 (\"dense\")", "\"swish\""]) { try load(swish) }
        let reluCell = try edited { root in var l = layers(root); l[1]["activation"] = "relu"; root["layers"] = l }
        ModelIOTestSupport.expectError(["layer 1 (\"lstm\")", "\"relu\"", "tanh"]) { try load(reluCell) }
        let chain = try edited { root in var l = layers(root); l[0]["shape"] = [NSNull(), NSNull(), 5]; root["layers"] = l }
        ModelIOTestSupport.expectError(["layer 0 (\"gru\")", "weights[0] (kernel)", "[1, 15]", "[1, 18]"]) { try load(chain) }
        let input = try edited { root in root["in_shape"] = [NSNull(), NSNull(), 2] }
        ModelIOTestSupport.expectError(["layer 0 (\"gru\")", "kernel", "[2, 18]", "[1, 18]"]) { try load(input) }
        let ragged = try edited { root in
            var l = layers(root); var w = l[1]["weights"] as! [Any]; var k = w[1] as! [[Any]]
            k[2].removeLast(); w[1] = k; l[1]["weights"] = w; root["layers"] = l
        }
        ModelIOTestSupport.expectError(["layer 1 (\"lstm\")", "weights[1] (recurrent_kernel)", "rectangular"]) { try load(ragged) }
        let text = try edited { root in
            var l = layers(root); var w = l[2]["weights"] as! [Any]; w[1] = ["x"]; l[2]["weights"] = w; root["layers"] = l
        }
        ModelIOTestSupport.expectError(["layer 2 (\"dense\")", "weights[1] (bias)", "not a number"]) { try load(text) }
        let missing = try edited { root in var l = layers(root); l[1]["weights"] = Array((l[1]["weights"] as! [Any]).prefix(2)); root["layers"] = l }
        ModelIOTestSupport.expectError(["layer 1 (\"lstm\") weights", "3 arrays", "2"]) { try load(missing) }
        let afterHead = try edited { root in var l = layers(root); l.append(l[0]); root["layers"] = l }
        let afterHeadModel = try RTNeuralModel.parameters(json: afterHead, as: Double.self)
        #expect(afterHeadModel.architecture.layers.map(\.kindName) == ["recurrent", "recurrent", "dense", "activation", "recurrent"],
                "a recurrent layer may follow a dense one: \(afterHeadModel.architecture)")
        let activationSize = try edited { root in
            var l = layers(root)
            l.append(["type": "activation", "activation": "tanh", "shape": [NSNull(), NSNull(), 2], "weights": [Any]()])
            root["layers"] = l
        }
        ModelIOTestSupport.expectError(["layer 3 (\"activation\") shape", "[null, null, 1]", "2"]) { try load(activationSize) }
        let activationLayer = try edited { root in
            var l = layers(root); l[2]["activation"] = ""
            l.append(["type": "activation", "activation": "tanh", "shape": [NSNull(), NSNull(), 1], "weights": [Any]()])
            root["layers"] = l
        }
        let model = try RTNeuralModel.parameters(json: activationLayer, as: Double.self)
        #expect(model.architecture.layers.last == .activation(try ActivationLayerShape(kind: .tanh, size: 1)),
                "an activation layer after a plain dense: \(model.architecture)")
        ModelIOTestSupport.expectError(["not valid JSON"]) { try load(Data("{\"in_shape\": [".utf8)) }
        let zero = try edited { root in var l = layers(root); l[0]["shape"] = [NSNull(), NSNull(), 0]; root["layers"] = l }
        ModelIOTestSupport.expectError(["layer 0 (\"gru\")", "hidden size 0"]) { try load(zero) }
    }

    /// Truncated and bit-flipped copies of the fixture are refused with one line, or load.
    @Test func corruptedFilesAreRefusedWithOneLine() throws {
        let data = try Data(contentsOf: ModelIOTestSupport.url(Self.name + ".json"))
        var rng = SplitMix64(seed: 0x27E0)
        var refused = 0
        for k in 0..<600 {
            var bytes = data
            if k % 2 == 0 {
                bytes = bytes.prefix(Int(rng.next() % UInt64(data.count)))
            } else {
                for _ in 0...(rng.next() % 3) { bytes[Int(rng.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: rng.next() % 255 + 1) }
            }
            do { _ = try RTNeuralModel.parameters(json: bytes, as: Float.self) } catch let error as CellForgeError {
                refused += 1
                #expect(!error.description.contains("\n"), "case \(k): \(error)")
            } catch {
                Issue.record("case \(k): not a CellForgeError: \(error)")
            }
        }
        #expect(refused >= 300, "every truncation at least is refused: \(refused)")
    }
}
