import CellForge
import Foundation
import Testing

/// A Keras weights file whose layer order or tensor names could be read two ways is refused in
/// one line naming both; the order of layers found by name is Keras's numbering, whatever the
/// order of the file's tensors.
@Suite struct KerasAmbiguousNamesTests {
    /// Two LSTM layers H 2 on D 1 under `names`, bottom first.
    static func file(_ names: [String]) throws -> SafeTensors {
        let model = try ModelParameters<Float>.random(ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [2, 2]), seed: 9)
        var file = SafeTensors()
        for (layer, name) in zip(model.recurrentLayers, names) {
            for (weight, tensor) in KerasWeights.tensors(layer).tensors { file[name + "/" + weight] = tensor }
        }
        return file
    }

    @Test func layersWithTheSamePlaceInKerasNumberingAreRefused() throws {
        for pair in [["lstm", "lstm_0"], ["lstm_1", "lstm_01"], ["lstm_2", "lstm_002"]] {
            let file = try Self.file(pair)
            ModelIOTestSupport.expectError(["\"\(pair.sorted()[0])\" and \"\(pair.sorted()[1])\"", "same place", "layers:"]) {
                _ = try KerasModelWeights.parameters(from: file, as: Float.self)
            }
            #expect(try KerasModelWeights.parameters(from: file, layers: pair, as: Float.self).layers.count == 2,
                    "given the order, the same file loads")
        }
    }

    @Test func numberingOrdersByNumberNotByText() throws {
        let names = ["lstm_9", "lstm_10"]
        let byNumber = try KerasModelWeights.parameters(from: Self.file(names), as: Float.self)
        #expect(byNumber == (try KerasModelWeights.parameters(from: Self.file(names), layers: names, as: Float.self)))
        // A suffix that is not plain digits is part of the base name, not a number.
        ModelIOTestSupport.expectError(["several names"]) {
            _ = try KerasModelWeights.parameters(from: Self.file(["lstm", "lstm_+1"]), as: Float.self)
        }
    }

    @Test func aTensorUnderBothNamingsIsRefusedNamingBoth() throws {
        var both = try Self.file(["lstm", "lstm_1"])
        both["layers/lstm/cell/vars/0"] = both["lstm/kernel"]
        ModelIOTestSupport.expectError(["\"layers/lstm/cell/vars/0\" and \"lstm/kernel\"", "both \"lstm/kernel\""]) {
            _ = try KerasModelWeights.parameters(from: both, as: Float.self)
        }
        var cellAndDense = SafeTensors()
        let source = try Self.file(["lstm"])
        cellAndDense["layers/lstm/cell/vars/0"] = source["lstm/kernel"]
        cellAndDense["layers/lstm/vars/0"] = source["lstm/kernel"]
        ModelIOTestSupport.expectError(["\"layers/lstm/cell/vars/0\" and \"layers/lstm/vars/0\"", "both \"lstm/kernel\""]) {
            _ = try KerasModelWeights.parameters(from: cellAndDense, as: Float.self)
        }
    }

    @Test func aVarsIndexNotWrittenAsKerasWritesItIsRefused() throws {
        var h5 = SafeTensors()
        let source = try Self.file(["lstm"])
        for (k, weight) in KerasWeights.tensorNames.enumerated() { h5["layers/lstm/cell/vars/\(k)"] = source["lstm/" + weight] }
        #expect(throws: Never.self) { _ = try KerasModelWeights.parameters(from: h5, as: Float.self) }
        for index in ["+0", "00", "-0", " 0"] {
            var odd = h5
            odd["layers/lstm/cell/vars/\(index)"] = source["lstm/kernel"]
            ModelIOTestSupport.expectError(["layers/lstm/cell/vars/\(index)", "vars 0 to 2"]) {
                _ = try KerasModelWeights.parameters(from: odd, as: Float.self)
            }
        }
    }
}
