import CellForge
import Foundation

/// One PyTorch model fixture from Tests/Fixtures/models (written by make_model_fixtures.py).
struct ModelFixture {
    /// What PyTorch computed in one dtype.
    struct Run {
        var outputs: [Double], hT: [Double], cT: [Double]?, loss: Double
        var gradients: [String: [Double]]
        var dx: [Double], dh0: [Double], dc0: [Double]?
    }

    let name: String
    let kind: CellKind
    let layers: Int, H: Int, D: Int, O: Int, N: Int, T: Int
    let activation: ActivationKind
    let x: [Double], h0: [Double], c0: [Double]?, targets: [Double]
    let float64: Run, float32: Run

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/models")

    init(_ name: String) throws {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent(name + ".json"))
        self.name = name
        let d = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        func numbers(_ v: Any?) -> [Double] { (v as! [NSNumber]).map(\.doubleValue) }
        func run(_ v: Any?) -> Run {
            let r = v as! [String: Any]
            return Run(outputs: numbers(r["outputs"]), hT: numbers(r["hT"]), cT: r["cT"].map(numbers),
                       loss: (r["loss"] as! NSNumber).doubleValue,
                       gradients: (r["gradients"] as! [String: Any]).mapValues(numbers),
                       dx: numbers(r["dx"]), dh0: numbers(r["dh0"]), dc0: r["dc0"].map(numbers))
        }
        kind = CellKind(rawValue: d["cell"] as! String)!
        (layers, H, D, O, N, T) = (d["layers"] as! Int, d["hidden"] as! Int, d["input"] as! Int, d["output"] as! Int,
                                   d["N"] as! Int, d["T"] as! Int)
        activation = ActivationKind.plainKinds.first { $0.description == d["activation"] as! String }!
        x = numbers(d["x"])
        h0 = numbers(d["h0"])
        c0 = d["c0"].map(numbers)
        targets = numbers(d["targets"])
        float64 = run(d["float64"])
        float32 = run(d["float32"])
    }

    var architecture: ModelArchitecture {
        try! ModelArchitecture(kind: kind, inputSize: D, hiddenSizes: Array(repeating: H, count: layers), outputSize: O,
                               activation: activation)
    }

    /// The model's parameters, read from the fixture's state_dict by `PyTorchModelWeights` (the
    /// import path applications use), and checked against the sizes the JSON states.
    func modelParameters<S: CellScalar>(_: S.Type) throws -> ModelParameters<S> {
        let file = try SafeTensors(contentsOf: Self.directory.appendingPathComponent(name + ".safetensors"))
        let p = try PyTorchModelWeights.parameters(from: file, activation: activation, as: S.self)
        guard p.architecture == architecture else {
            throw CellForgeError.shapeMismatch(name: "\(name).safetensors", expected: "\(architecture)", actual: "\(p.architecture)")
        }
        return p
    }

    /// PyTorch's (layers, N, H) h0 and c0 as CellForge model states: per sequence, each layer's [h, c].
    func modelStates(h: [Double], c: [Double]?) -> [Double] {
        var states: [Double] = []
        for n in 0..<N {
            for l in 0..<layers {
                let at = (l * N + n) * H
                states += h[at..<(at + H)]
                if let c { states += c[at..<(at + H)] }
            }
        }
        return states
    }

    /// A model gradient as PyTorch names it (`PyTorchModelWeights.gradientTensors`: ∂L/∂bias_ih =
    /// ∂L/∂bias_hh = δb, except a GRU's n block of bias_hh, which is δb_hn).
    func torchGradients<S: CellScalar>(_ g: ModelParameters<S>) throws -> [String: [Double]] {
        let t = try PyTorchModelWeights.gradientTensors(g.converted(to: Double.self))
        return Dictionary(uniqueKeysWithValues: t.names.map { ($0, t[$0]!.values(as: Double.self)) })
    }
}

/// Largest |a − b| relative to the largest |b|.
func relativeError<S: BinaryFloatingPoint>(_ a: [S], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "relativeError: counts differ (\(a.count) vs \(b.count))")
    let scale = max(b.map(abs).max() ?? 0, 1e-300)
    if a.contains(where: { !$0.isFinite }) { return .infinity }
    return (zip(a, b).map { abs(Double($0) - $1) }.max() ?? 0) / scale
}
