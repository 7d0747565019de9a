import CellForge
import CellForgeKernels
import Testing

/// A stream's carried state: `setState` refuses non-finite values and changes nothing; a NaN
/// input poisons the state (every later output is NaN) until `reset()` or `setState`, and
/// `stateIsFinite` and `checkFinite()` detect it, naming the layer.
@Suite struct ModelStreamStateTests {
    let architecture = try! ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [8, 8], outputSize: 1)

    @Test func setStateRefusesNonFiniteValuesAndKeepsTheState() throws {
        let stream = try ModelStream(parameters: ModelParameters<Float>.random(architecture, seed: 3), registry: GeneratedKernels.self)
        _ = stream.process(Float(0.5))
        let before = stream.currentState.map(\.bitPattern)
        for (k, bad) in [(5, Float.nan), (stream.model.stateSize - 1, -Float.infinity)] {
            var values = [Float](repeating: 0.25, count: stream.model.stateSize)
            values[k] = bad
            #expect(throws: CellForgeError.nonFinite(name: "stream state (value \(k) is \(bad))")) { try stream.setState(values) }
            #expect(stream.currentState.map(\.bitPattern) == before)
        }
    }

    @Test func aNaNInputPoisonsTheStateUntilReset() throws {
        let stream = try ModelStream(parameters: ModelParameters<Float>.random(architecture, seed: 3), registry: GeneratedKernels.self)
        #expect(stream.stateIsFinite)
        try stream.checkFinite()
        _ = stream.process(Float.nan)
        let later = (0..<2000).map { _ in stream.process(Float(0.5)) }
        #expect(later.allSatisfy { $0.isNaN })
        #expect(!stream.stateIsFinite)
        #expect(throws: CellForgeError.nonFinite(name: "stream state of layer 0 (value 0 is nan)")) { try stream.checkFinite() }
        stream.reset()
        #expect(stream.stateIsFinite)
        #expect(stream.process(Float(0.5)).isFinite)
    }

    @Test func checkFiniteNamesTheFirstNonFiniteLayer() throws {
        var parameters = ModelParameters<Float>.random(architecture, seed: 3)
        parameters.layers[1].values = parameters.layers[1].values.map { _ in .nan }
        let stream = try ModelStream(parameters: parameters, registry: GeneratedKernels.self)
        _ = stream.process(Float(0.5))
        #expect(!stream.stateIsFinite)
        #expect(throws: CellForgeError.nonFinite(name: "stream state of layer 1 (value 0 is nan)")) { try stream.checkFinite() }
    }
}
