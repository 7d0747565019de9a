import CellForge
import Foundation
import Testing

/// The whole-model format fixtures in Tests/Fixtures/formats (written by
/// make_format_fixtures.py with PyTorch, Keras and RTNeural's model_utils), shared by the
/// model I/O tests.
enum ModelIOTestSupport {
    /// Tests/Fixtures/formats in this package (`FixtureFolder`).
    static func folder() throws -> URL { try FixtureFolder.named("formats") }

    /// A fixture file's URL.
    static func url(_ name: String) throws -> URL { try folder().appendingPathComponent(name) }

    /// A fixture's safetensors file.
    static func weights(_ name: String) throws -> SafeTensors { try SafeTensors(contentsOf: url(name + ".safetensors")) }

    /// A fixture's inputs x [N][T][D] and the framework's outputs [N][T][O], and its other keys.
    static func io(_ file: String) throws -> (x: [[[Double]]], outputs: [[[Double]]], json: [String: Any]) {
        guard let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url(file))) as? [String: Any],
              let x = json["x"] as? [[[Double]]], let y = json["outputs"] as? [[[Double]]] else {
            throw FixtureError("\(file) has no x and outputs [N][T][·]")
        }
        return (x, y, json)
    }

    /// The largest |CellForge − framework| over every sequence of a fixture, computing in `S`
    /// with the reference model from zero initial states.
    static func maxError<S: CellScalar>(_ model: ModelParameters<S>, x: [[[Double]]], expected: [[[Double]]]) throws -> Double {
        var worst = 0.0
        for (xs, ys) in zip(x, expected) {
            let out = try ReferenceModel(parameters: model).forward(xs.map { $0.map { S($0) } }).outputs
            guard out.count == ys.count, zip(out, ys).allSatisfy({ $0.count == $1.count }) else { return .infinity }
            for (a, e) in zip(out.joined(), ys.joined()) { worst = max(worst, abs(Double(a) - e)) }
        }
        return worst
    }

    /// The key prefix of CellForge's per-tensor checksum entries.
    static let checksumPrefix = "cellforge.crc32c."

    /// `file` without its tensor checksum entries, as CellForge wrote files before them.
    static func withoutChecksums(_ file: SafeTensors) -> SafeTensors {
        var copy = file
        copy.metadata = file.metadata.filter { !$0.key.hasPrefix(checksumPrefix) }
        return copy
    }

    /// Expects `body` to throw a one-line `CellForgeError` whose description contains every one of `parts`.
    static func expectError(_ parts: [String], sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected an error mentioning \(parts)", sourceLocation: sourceLocation)
        } catch let error as CellForgeError {
            let text = error.description
            #expect(!text.contains("\n"), "not one line: \(text)", sourceLocation: sourceLocation)
            for part in parts { #expect(text.contains(part), "\"\(text)\" does not mention \"\(part)\"", sourceLocation: sourceLocation) }
        } catch {
            Issue.record("expected a CellForgeError, got \(error)", sourceLocation: sourceLocation)
        }
    }
}

/// Tolerances of the fixture comparisons, shared by the import tests.
///
/// The frameworks computed in float64 from the stored float32 weights, which CellForge reads
/// exactly, so Double differs only by summation order and libm (tanh, exp within an ulp):
/// each pre-activation sums ≤ D + H + 2 ≤ 16 terms of magnitude ≲ 3, off by ≲ 16·3·1.1e-16
/// ≈ 5e-15 per step; with |weights| ≤ 0.6 and H ≤ 7 one step can amplify an error at most
/// about 1 + 0.6·7 ≈ 5×, so after T = 6 steps of two layers and the head ≲ 5e-15·5^6·2 ≈ 2e-10.
/// Hence 1e-9 in Double (a wrong gate order or bias is ≥ 1e-3). Float rounds the weights
/// nowhere (they are float32) but computes in float32: the same bound with ε = 6e-8 instead of
/// 1.1e-16 gives ≈ 1e-1 worst case, far above what happens, so Float uses the bound of the
/// existing cell fixtures scaled to two layers, 1e-4, and the measured value is printed.
///
/// Keras (3.15, torch backend) computes part of its recurrent layers in float32 even under a
/// float64 dtype policy: on a SimpleRNN its outputs differ from a plain float64 numpy loop over
/// the same float64 weights by 4.4e-8. So the Keras and RTNeural fixtures (whose outputs are
/// Keras's) are float32-accurate, and they use the bound of the existing float32 PyTorch cell
/// fixtures (TorchFixtureTests: 2e-5, after T ≤ 9 steps), in Double and Float alike.
enum ModelIOTolerance {
    static let double = 1e-9
    static let float = 1e-4
    static let keras = 2e-5
}
