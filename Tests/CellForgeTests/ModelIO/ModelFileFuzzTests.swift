import CellForge
import Foundation
import Testing

/// Thousands of corrupted model files, generated deterministically from valid ones: every
/// truncation, random byte flips, and edited metadata entries (deleted, set to numbers out of
/// range, other cells and activations, garbage). Each must be refused by `AnyModelFile.parse`
/// with a one-line `CellForgeError`, or, where a mutation happens to leave a valid file, parse
/// to a model whose own file parses back to the same model. A crash fails the whole run.
@Suite struct ModelFileFuzzTests {
    struct Tally { var refused = 0, accepted = 0 }

    static func bases() throws -> [Data] {
        let arch = try ModelArchitecture(recurrent: [RecurrentLayerShape(kind: .lstm, hiddenSize: 3, inputSize: 2),
                                                  RecurrentLayerShape(kind: .gru, hiddenSize: 2, inputSize: 3)],
                                         head: 1, activation: .tanh)
        return [try ModelFile(parameters: ModelParameters<Float>.random(arch, seed: 1)).safeTensors.serialized(),
                try ModelFile(parameters: ModelParameters<Double>.random(ModelArchitecture(kind: .rnn, inputSize: 1, hiddenSizes: [2, 2]), seed: 2),
                              metadata: ["note": "x"]).safeTensors.serialized()]
    }

    @Test func corruptedModelFilesAreRefusedOrParseConsistently() throws {
        var rng = SplitMix64(seed: 0x0DE1_F11E)
        var tally = Tally()
        let bases = try Self.bases()
        for base in bases {
            for n in 0..<base.count { probe(base.prefix(n), mustThrow: true, "truncated to \(n)", &tally) }
        }
        for k in 0..<2000 {
            var data = bases[k % bases.count]
            for _ in 0...(rng.next() % 3) {
                let at = Int(rng.next() % UInt64(data.count))
                data[at] ^= UInt8(truncatingIfNeeded: rng.next() % 255 + 1)
            }
            probe(data, mustThrow: false, "byte flips #\(k)", &tally)
        }
        let values = ["", "0", "-3", "1", "2", "7", "4097", "99999999999999999999", "lstm", "gru", "rnn", "conv1d",
                      "identity", "sigmoid", "relu", "Float", "Double", "Half", "1e3", " 2", "nan"]
        for k in 0..<2000 {
            var file = try SafeTensors(data: bases[k % bases.count])
            let keys = file.metadata.keys.sorted()
            for _ in 0...(rng.next() % 2) {
                let key = keys[Int(rng.next() % UInt64(keys.count))]
                file.metadata[key] = rng.next() % 5 == 0 ? nil : values[Int(rng.next() % UInt64(values.count))]
            }
            probe(try file.serialized(), mustThrow: false, "edited metadata #\(k)", &tally)
        }
        print("model file fuzzing: \(tally)")
        #expect(tally.refused > 5000, "most corruptions must be refused: \(tally)")
    }

    func probe(_ data: Data, mustThrow: Bool, _ what: String, _ tally: inout Tally) {
        do {
            let model = try AnyModelFile.parse(data: data)
            #expect(!mustThrow, "\(what) was accepted")
            tally.accepted += 1
            let again: AnyModelFile? = switch model {
            case let .float(m): try? AnyModelFile.parse(data: m.safeTensors.serialized())
            case let .double(m): try? AnyModelFile.parse(data: m.safeTensors.serialized())
            }
            #expect(again == model, "\(what): accepted file does not round-trip")
        } catch let error as CellForgeError {
            tally.refused += 1
            #expect(!error.description.contains("\n"), "\(what): \(error)")
        } catch {
            Issue.record("\(what): not a CellForgeError: \(error)")
        }
    }
}
