import CellForge
import Foundation
import Testing

/// RTNeural files are read within fixed limits (file size, JSON nesting and values, layer
/// count), refused before any layer is built; bad JSON and values out of Float's range are
/// refused in one line saying which problem and where.
@Suite struct RTNeuralLimitsTests {
    /// An lstm layer of H 1, D 1 whose weights are all `value`.
    static func lstm(_ value: String = "0.5") -> String {
        let four = Array(repeating: value, count: 4).joined(separator: ", ")
        return "{\"type\": \"lstm\", \"activation\": \"tanh\", \"shape\": [null, null, 1], \"weights\": [[[\(four)]], [[\(four)]], [\(four)]]}"
    }

    /// A model of `layers` (JSON objects) on input size 1.
    static func model(_ layers: [String]) -> Data {
        Data(("{\"in_shape\": [null, null, 1], \"layers\": [" + layers.joined(separator: ",\n") + "]}").utf8)
    }

    static let dense = "{\"type\": \"dense\", \"activation\": \"\", \"shape\": [null, null, 1], \"weights\": [[[0.25]], [0.5]]}"

    @Test func aMillionLayersAreRefusedBeforeAnyIsBuilt() throws {
        let data = Self.model(Array(repeating: "{\"type\": \"lstm\"}", count: 1_000_000))
        let start = Date()
        ModelIOTestSupport.expectError(["RTNeural model has 1000000 layers", "the limit is 1024"]) {
            _ = try RTNeuralModel.parameters(json: data, as: Float.self)
        }
        #expect(Date().timeIntervalSince(start) < 30, "refused after \(Date().timeIntervalSince(start)) s")
    }

    @Test func moreRecurrentLayersThanAModelMayHaveAreRefused() throws {
        let ok = Self.model(Array(repeating: Self.lstm(), count: 1023) + [Self.dense])
        #expect(try RTNeuralModel.parameters(json: ok, as: Float.self).architecture.layers.count == 1024)
        ModelIOTestSupport.expectError(["1025 layers", "the limit is 1024"]) {
            _ = try RTNeuralModel.parameters(json: Self.model(Array(repeating: Self.lstm(), count: 1025)), as: Float.self)
        }
    }

    @Test func aFileOverTheSizeLimitIsRefusedUnread() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rtneural-\(UUID().uuidString).json")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(RTNeuralModel.maximumFileSize + 1))  // sparse: nothing is written
        try handle.close()
        ModelIOTestSupport.expectError(["\(RTNeuralModel.maximumFileSize + 1) bytes exceed the limit of \(RTNeuralModel.maximumFileSize)"]) {
            _ = try RTNeuralModel.parameters(contentsOf: url, as: Float.self)
        }
    }

    @Test func badJSONSaysWhichProblemAndWhere() {
        func load(_ text: String) throws { _ = try RTNeuralModel.parameters(json: Data(text.utf8), as: Float.self) }
        let cases: [(String, [String])] = [
            ("", ["RTNeural model is not valid JSON: the input is empty at byte 0 (line 1, column 1)"]),
            (String(decoding: Self.model([Self.lstm("NaN")]), as: UTF8.self), ["no NaN or Infinity", "line 1, column 121"]),
            (String(decoding: Self.model([Self.lstm("1e400")]), as: UTF8.self), ["number 1e400 is out of Double range", "line 1, column 121"]),
            (String(repeating: "[", count: 600), ["nesting deeper than 512 (the limit) at byte 512"]),
            ("{\"in_shape\": [null, null, 1], \"layers\": [", ["the input ends inside the array opened at byte 40"]),
            ("{\"in_shape\": [null, null, 1], \"layers\": []} []", ["after the end of the document at byte 44"]),
        ]
        for (text, parts) in cases { ModelIOTestSupport.expectError(parts) { try load(text) } }
        var invalid = Self.model([Self.lstm()])
        invalid[invalid.firstIndex(of: UInt8(ascii: "m"))!] = 0xFF  // the m of "lstm"
        ModelIOTestSupport.expectError(["invalid UTF-8 (byte 0xFF) at byte"]) { _ = try RTNeuralModel.parameters(json: invalid, as: Float.self) }
    }

    @Test func valuesTooLargeForFloatNameTheLayerAndTensor() throws {
        let big = Self.model([Self.lstm("1e39"), Self.dense])
        ModelIOTestSupport.expectError(["RTNeural layer 0 (\"lstm\") tensor kernel: value 0 (1e+39) is out of Float range"]) {
            _ = try RTNeuralModel.parameters(json: big, as: Float.self)
        }
        #expect(try RTNeuralModel.parameters(json: big, as: Double.self).layers[0].values.contains(1e39), "1e39 is a Double")
        let head = Self.model([Self.lstm(), Self.dense.replacingOccurrences(of: "0.5]", with: "-3.5e38]")])
        ModelIOTestSupport.expectError(["RTNeural layer 1 (\"dense\") tensor bias: value 0 (-3.5e+38) is out of Float range"]) {
            _ = try RTNeuralModel.parameters(json: head, as: Float.self)
        }
        for message in [big, head].compactMap({ data -> String? in
            do { _ = try RTNeuralModel.parameters(json: data, as: Float.self); return nil } catch { return "\(error)" }
        }) {
            #expect(!message.contains("Keras") && !message.contains("non-finite"), "\(message)")
        }
    }
}
