import CellForge
import Foundation
import Testing

/// Fixtures, temporary folders and comparisons shared by the weight I/O tests.
enum WeightsTestSupport {
    /// The names of the PyTorch fixtures in Tests/Fixtures/torch.
    static let fixtureNames = ["torch_lstm_D5_H8", "torch_lstm_D1_H16", "torch_rnn_tanh_D4_H8", "torch_gru_D3_H8"]

    /// Tests/Fixtures/torch in this repository (written by Tests/Fixtures/make_torch_fixtures.py).
    static func fixturesFolder(filePath: String = #filePath) throws -> URL {
        let fixtures = URL(fileURLWithPath: filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/torch")
        guard FileManager.default.fileExists(atPath: fixtures.appendingPathComponent("README.md").path) else {
            throw FixtureError("PyTorch fixtures not found at \(fixtures.path); they are part of the repository")
        }
        return fixtures
    }

    /// A fixture's state_dict file.
    static func fixtureWeightsURL(_ name: String) throws -> URL {
        try fixturesFolder().appendingPathComponent(name + ".safetensors")
    }

    /// A fixture's inputs and PyTorch's outputs.
    static func fixture(_ name: String) throws -> Fixture {
        let url = try fixturesFolder().appendingPathComponent(name + ".json")
        guard let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw FixtureError("\(url.path) is not a JSON object")
        }
        func array(_ key: String) throws -> Any {
            guard let v = json[key] else { throw FixtureError("\(name).json has no \"\(key)\"") }
            return v
        }
        func matrix(_ key: String) throws -> [[Double]] {
            guard let m = try array(key) as? [[Double]] else { throw FixtureError("\(name).json \"\(key)\" is not [N][H]") }
            return m
        }
        func sequences(_ key: String) throws -> [[[Double]]] {
            guard let s = try array(key) as? [[[Double]]] else { throw FixtureError("\(name).json \"\(key)\" is not [N][T][·]") }
            return s
        }
        let isLSTM = json["c0"] != nil
        return Fixture(x: try sequences("x"), h0: try matrix("h0"), c0: isLSTM ? try matrix("c0") : nil,
                       outputs: try sequences("outputs"), hT: try matrix("hT"), cT: isLSTM ? try matrix("cT") : nil)
    }

    /// A fresh empty folder under the system's temporary folder.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cellforge-weights-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The largest |a − e| over two equally long arrays (infinity if the lengths differ).
    static func maxDifference<S: CellScalar>(_ a: [S], _ e: [Double]) -> Double {
        guard a.count == e.count else { return .infinity }
        return zip(a, e).map { abs(Double($0) - $1) }.max() ?? 0
    }
}

/// One PyTorch fixture: N sequences with their initial states and what PyTorch computed.
struct Fixture {
    let x: [[[Double]]], h0: [[Double]], c0: [[Double]]?
    let outputs: [[[Double]]], hT: [[Double]], cT: [[Double]]?
}

/// A fixture that cannot be found or read.
struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
