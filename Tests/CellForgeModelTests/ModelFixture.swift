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

    let kind: CellKind
    let layers: Int, H: Int, D: Int, O: Int, N: Int, T: Int
    let activation: HeadActivation
    let parameters: [String: [Double]]
    let shapes: [String: [Int]]
    let x: [Double], h0: [Double], c0: [Double]?, targets: [Double]
    let float64: Run, float32: Run

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/models")

    init(_ name: String) throws {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent(name + ".json"))
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
        activation = HeadActivation(rawValue: d["activation"] as! String)!
        parameters = (d["parameters"] as! [String: Any]).mapValues(numbers)
        shapes = (d["shapes"] as! [String: Any]).mapValues { ($0 as! [NSNumber]).map(\.intValue) }
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

    /// The model's parameters, through CellForge's PyTorch weight mapping one layer at a time.
    func modelParameters<S: CellScalar>(_: S.Type) throws -> ModelParameters<S> {
        let cells = try (0..<layers).map { l in
            var file = SafeTensors()
            for name in PyTorchWeights.tensorNames {
                let source = "rnn." + name.replacingOccurrences(of: "_l0", with: "_l\(l)")
                file.tensors[name] = try .init(shape: shapes[source]!, values: parameters[source]!.map { S($0) })
            }
            return try PyTorchWeights.parameters(kind, from: file, as: S.self)
        }
        let head = try DenseParameters<S>(shape: architecture.head!, weight: parameters["head.weight"]!.map { S($0) },
                                          bias: parameters["head.bias"]!.map { S($0) })
        return try ModelParameters(architecture: architecture, layers: cells, head: head)
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

    /// A model gradient as PyTorch names it (bias gradients: ∂L/∂bias_ih = ∂L/∂bias_hh = δb, except
    /// a GRU's n block of bias_hh, which is δb_hn).
    func torchGradients<S: CellScalar>(_ g: ModelParameters<S>) -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for (l, p) in g.layers.enumerated() {
            let t = PyTorchWeights.tensors(p.converted(to: Double.self))
            let bias = t["bias_ih_l0"]!.values(as: Double.self), recurrent = t["bias_hh_l0"]!.values(as: Double.self)
            out["rnn.weight_ih_l\(l)"] = t["weight_ih_l0"]!.values(as: Double.self)
            out["rnn.weight_hh_l\(l)"] = t["weight_hh_l0"]!.values(as: Double.self)
            out["rnn.bias_ih_l\(l)"] = bias
            out["rnn.bias_hh_l\(l)"] = kind == .gru ? Array(bias[..<(2 * H)] + recurrent[(2 * H)...]) : bias
        }
        out["head.weight"] = g.head!.weight.map(Double.init)
        out["head.bias"] = g.head!.bias.map(Double.init)
        return out
    }
}

/// Largest |a − b| relative to the largest |b|.
func relativeError<S: BinaryFloatingPoint>(_ a: [S], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "relativeError: counts differ (\(a.count) vs \(b.count))")
    let scale = max(b.map(abs).max() ?? 0, 1e-300)
    if a.contains(where: { !$0.isFinite }) { return .infinity }
    return (zip(a, b).map { abs(Double($0) - $1) }.max() ?? 0) / scale
}
