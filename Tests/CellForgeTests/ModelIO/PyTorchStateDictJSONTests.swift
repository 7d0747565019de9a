import CellForge
import Foundation
import Testing

/// PyTorch state_dicts dumped as JSON (RTNeural's torch_helpers files) read into named tensors:
/// shapes from the nesting, values exact, the same tensors Foundation's own JSON parser sees
/// in RTNeural's two files, a state_dict written from CellForge parameters loading back
/// through `PyTorchWeights`, and every malformed tensor refused on one line naming it.
@Suite struct PyTorchStateDictJSONTests {
    func read(_ text: String) throws -> SafeTensors { try PyTorchStateDictJSON.tensors(json: Data(text.utf8)) }

    @Test func shapesComeFromTheNesting() throws {
        let file = try read(#"{"a.weight": [[1, 2, 3], [4, 5.5, -6e-3]], "a.bias": [0.5, -1], "count": 7, "empty": [], "cube": [[[1], [2]]]}"#)
        #expect(file.names == ["a.bias", "a.weight", "count", "cube", "empty"])
        let expected: [String: ([Int], [Double])] = [
            "a.weight": ([2, 3], [1, 2, 3, 4, 5.5, -6e-3]), "a.bias": ([2], [0.5, -1]), "count": ([], [7]),
            "empty": ([0], []), "cube": ([1, 2, 1], [1, 2]),
        ]
        for (name, (shape, values)) in expected {
            let t = try #require(file[name])
            #expect(t.dtype == .f64 && t.shape == shape && t.values(as: Double.self) == values, "\(name): \(t)")
        }
        #expect(try read("{}").tensors.isEmpty)
    }

    /// RTNeural's lstm_torch.json and gru_torch.json: every tensor's shape as Foundation's
    /// JSONSerialization (an independent parser) reads it, and its values bit for bit as Swift's
    /// correctly rounded `Double(_:)` reads the number tokens that follow its name in the text
    /// (JSONSerialization itself misreads some doubles by an ulp on Linux).
    @Test(arguments: ["lstm_torch", "gru_torch"]) func rtneuralFilesMatchAnIndependentReading(_ name: String) throws {
        let url = RTNeuralFixture.folder.appendingPathComponent(name + ".json")
        let file = try PyTorchStateDictJSON.tensors(contentsOf: url)
        let data = try Data(contentsOf: url)
        let foundation = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(file.names) == Set(foundation.keys))
        #expect(file.names.count == 18, "4 tensors for each of 4 layers, and the Linear's 2")
        let cell = name == "lstm_torch" ? "lstm" : "gru", G = name == "lstm_torch" ? 4 : 3
        #expect(file[cell + ".weight_ih_l0"]?.shape == [G * 8, 1])
        #expect(file[cell + "2.weight_hh_l2"]?.shape == [G * 8, 8])
        #expect(file[cell + "2.bias_ih_l1"]?.shape == [G * 8])
        #expect(file["dense.weight"]?.shape == [1, 8] && file["dense.bias"]?.shape == [1])
        func shape(_ v: Any) -> [Int] { (v as? [Any]).map { [$0.count] + ($0.first.map(shape) ?? []) } ?? [] }
        for (key, value) in foundation { #expect(file[key]?.shape == shape(value), "\(key)") }

        var numbers: [String: [Double]] = [:], current = ""
        let text = try #require(String(data: data, encoding: .utf8))
        for token in text.split(whereSeparator: { "[]{},: \n\t\r".contains($0) }) {
            if token.hasPrefix("\"") {
                current = String(token.dropFirst().dropLast())
            } else {
                numbers[current, default: []].append(try #require(Double(token)))
            }
        }
        for (key, values) in numbers {
            #expect(file[key]?.values(as: Double.self).map(\.bitPattern) == values.map(\.bitPattern), "\(key)")
        }
        #expect(Set(numbers.keys) == Set(file.names))
    }

    /// CellForge parameters written as PyTorch tensors (`PyTorchWeights.tensors`), dumped as
    /// nested JSON arrays with round-trip number text, read back and loaded: the same parameters.
    @Test(arguments: CellKind.allCases) func stateDictLoadsThroughPyTorchWeights(_ kind: CellKind) throws {
        let p = try CellParameters<Double>.random(kind: kind, hiddenSize: 3, inputSize: 2, seed: 25)
        let tensors = PyTorchWeights.tensors(p, prefix: "rnn.", dtype: .f64)
        func nested(_ values: ArraySlice<Double>, _ shape: ArraySlice<Int>) -> String {
            guard let n = shape.first else { return "\(values.first!)" }
            let stride = shape.dropFirst().reduce(1, *)
            return "[" + (0..<n).map { nested(values.dropFirst($0 * stride).prefix(stride), shape.dropFirst()) }
                .joined(separator: ", ") + "]"
        }
        let text = "{" + tensors.names.map { name in
            let t = tensors[name]!
            return "\"\(name)\": " + nested(t.values(as: Double.self)[...], t.shape[...])
        }.joined(separator: ", ") + "}"
        let file = try read(text)
        #expect(file == tensors)
        #expect(try PyTorchWeights.parameters(kind, from: file, prefix: "rnn.", as: Double.self) == p)
    }

    @Test func malformedTensorsAreRefusedNamingThem() throws {
        let tensor = "PyTorch state_dict JSON tensor"
        ModelIOTestSupport.expectError(["PyTorch state_dict JSON", "an array, not an object"]) { _ = try read("[[1, 2]]") }
        ModelIOTestSupport.expectError(["PyTorch state_dict JSON is not valid JSON", "line 2, column 13"]) {
            _ = try read("{\"a\": [1, 2],\n \"b\": [1, 2,]}")
        }
        ModelIOTestSupport.expectError([tensor, "\"x.bias\"", "\"0.5\"", "not a number or a nested array"]) {
            _ = try read(#"{"x.weight": [[1]], "x.bias": "0.5"}"#)
        }
        ModelIOTestSupport.expectError([tensor, "\"x.bias\"", "null"]) { _ = try read(#"{"x.bias": null}"#) }
        ModelIOTestSupport.expectError([tensor, "\"w\"", "not a rectangular [2, 2] array"]) { _ = try read(#"{"w": [[1, 2], [3]]}"#) }
        ModelIOTestSupport.expectError([tensor, "\"w\"", "not a rectangular [2, 1] array"]) { _ = try read(#"{"w": [[1], 2]}"#) }
        ModelIOTestSupport.expectError([tensor, "\"w\"", "holds \"a\", not a number"]) { _ = try read(#"{"w": [[1, "a"]]}"#) }
        ModelIOTestSupport.expectError([tensor, "\"w\"", "holds an object, not a number"]) { _ = try read(#"{"w": [{"a": 1}]}"#) }
        ModelIOTestSupport.expectError([tensor, "\"w\"", "holds true, not a number"]) { _ = try read(#"{"w": [true]}"#) }
    }

    /// A first row of 10^5 numbers then 10^5 empty rows reads as shape [100001, 100000] from its
    /// first elements: 8·10^10 bytes if allocated before the rows were checked. Refused instead.
    @Test func raggedTensorIsRefusedBeforeItsDataIsAllocated() throws {
        let row = "[" + Array(repeating: "1", count: 100_000).joined(separator: ",") + "]"
        let text = "{\"w\": [" + row + String(repeating: ",[]", count: 100_000) + "]}"
        ModelIOTestSupport.expectError(["\"w\"", "not a rectangular [100001, 100000] array"]) { _ = try read(text) }
    }

    @Test func fileLargerThanTheLimitIsRefusedBeforeItIsRead() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("state-dict-\(UUID().uuidString).json")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(RTNeuralModel.maximumFileSize + 1))  // sparse: nothing is written
        try handle.close()
        ModelIOTestSupport.expectError(["\(RTNeuralModel.maximumFileSize + 1) bytes exceed the limit of \(RTNeuralModel.maximumFileSize)"]) {
            _ = try PyTorchStateDictJSON.tensors(contentsOf: url)
        }
    }
}

/// RTNeural's recurrent test models in Tests/Fixtures/rtneural (copy_rtneural_fixtures.sh).
enum RTNeuralFixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/rtneural")
}
