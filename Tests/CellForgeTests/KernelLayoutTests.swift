import CellForge
import Testing

/// The packed lane-group layout of the generated kernels.
@Suite struct KernelLayoutTests {
    @Test func gatesShareOneLaneGroup() {
        let h1 = KernelLayout(kind: .lstm, hiddenSize: 1, inputSize: 2, vectorWidth: 8)
        #expect(h1.chunkCount == 1 && h1.chunkWidth == 4 && h1.laneCount == 4)      // [a, i, f, o]
        let h2 = KernelLayout(kind: .lstm, hiddenSize: 2, inputSize: 2, vectorWidth: 8)
        #expect(h2.chunkCount == 1 && h2.chunkWidth == 8)                           // [a a i i f f o o]
        let h3 = KernelLayout(kind: .lstm, hiddenSize: 3, inputSize: 5, vectorWidth: 8)
        #expect(h3.paddedHidden == 4 && h3.laneCount == 16 && h3.partWidth == 4)
        let h8 = KernelLayout(kind: .lstm, hiddenSize: 8, inputSize: 8, vectorWidth: 8)
        #expect(h8.chunkCount == 4 && h8.lane(gate: 2, unit: 5) == 21)
        let gru1 = KernelLayout(kind: .gru, hiddenSize: 1, inputSize: 3, vectorWidth: 8)
        #expect(gru1.laneCount == 4 && gru1.gateLaneCount == 3)                      // [r, u, n, pad]
        let d = KernelLayout(kind: .lstm, hiddenSize: 5, inputSize: 1, vectorWidth: 4)
        #expect(d.paddedHidden == 8 && d.chunkWidth == 4 && d.chunkCount == 8)
    }

    /// With 16 lanes, parts of 8 where they need fewer gate-group vectors than parts of 16.
    @Test func sixteenLanesTakePartsOfEightWhereThoseNeedFewerVectors() {
        func layout(_ kind: CellKind, _ H: Int, _ lanes: Int = 16) -> KernelLayout {
            KernelLayout(kind: kind, hiddenSize: H, inputSize: 1, vectorWidth: lanes)
        }
        let lstm20 = layout(.lstm, 20), gru20 = layout(.gru, 20), rnn20 = layout(.rnn, 20)
        #expect(lstm20.paddedHidden == 24 && lstm20.partWidth == 8 && lstm20.chunkCount == 6)   // not 32: 8 vectors
        #expect(gru20.paddedHidden == 24 && gru20.partWidth == 8 && gru20.laneCount == 80)      // 72 lanes in 5 vectors, not 6
        #expect(rnn20.paddedHidden == 32 && rnn20.partWidth == 16 && rnn20.chunkCount == 2)     // 24 lanes need 2 vectors too
        let lstm40 = layout(.lstm, 40), lstm12 = layout(.lstm, 12), lstm64 = layout(.lstm, 64)
        #expect(lstm40.paddedHidden == 40 && lstm40.chunkCount == 10)
        #expect(lstm12.paddedHidden == 16 && lstm12.partWidth == 16)                            // a tie keeps 16
        #expect(lstm64.paddedHidden == 64 && lstm64.partWidth == 16)
        let eightLanes = layout(.lstm, 20, 8)
        #expect(eightLanes.paddedHidden == 24 && eightLanes.partWidth == 8 && eightLanes.chunkCount == 12)
    }

    @Test(arguments: [(CellKind.lstm, 3, 5), (.gru, 5, 2), (.rnn, 1, 1), (.gru, 9, 4)])
    func packThenUnpackIsIdentityAndPaddingIsZero(_ kind: CellKind, _ H: Int, _ D: Int) throws {
        let layout = KernelLayout(kind: kind, hiddenSize: H, inputSize: D, vectorWidth: 8)
        let p = try CellParameters<Double>.random(kind: kind, hiddenSize: H, inputSize: D, seed: 4)
        var storage = [Double](repeating: .nan, count: layout.parameterStorageCount)
        storage.withUnsafeMutableBufferPointer { layout.pack(p, into: $0) }
        #expect(storage.withUnsafeBufferPointer { layout.unpack($0) } == p)
        #expect(storage.filter { $0 != 0 }.count == p.values.filter { $0 != 0 }.count, "every other lane is zero")
        // W[r, j] of row r = g·H + k sits in column j at lane g·Hp + k.
        let g = kind.gateCount - 1, (r, j) = (g * H + H - 1, D - 1)
        #expect(storage[layout.columnOffset(j) + layout.lane(gate: g, unit: H - 1)] == p.w(r, j))
    }
}
