import CellForge
import CellForgeKernels
import CellForgeTestKernels
import Testing

/// A kernel's key carries its width; a lookup without a width prefers the platform's
/// default width, then the widest kernel of that cell, size and scalar.
@Suite struct KernelKeyWidthTests {
    @Test func keysCarryTheWidth() {
        #expect(KernelKey(LSTM_H8_D8_Float.self).vectorBits == 256)
        #expect(KernelKey(LSTM_H8_D8_Float_V512.self).vectorBits == 512)
        #expect(KernelKey(LSTM_H8_D8_Float_V128.self).vectorBits == 128)
        #expect(KernelKey(LSTM_H8_D8_Double_V512.self).vectorBits == 512)
        #expect(KernelKey(LSTM_H8_D8_Double_V128.self).vectorBits == 128)
        #expect(KernelKey(LSTM_H8_D8_Float.self) != KernelKey(LSTM_H8_D8_Float_V512.self))
        #expect(KernelKey(LSTM_H8_D8_Float_V512.self).description == "LSTM H8 D8 Float 512-bit")
    }

    @Test func lookupWithoutWidthPrefersPlatformDefaultThenWidest() {
        let any = KernelKey(kind: .lstm, hiddenSize: 8, inputSize: 8, scalar: .float)
        let all = [KernelKey(LSTM_H8_D8_Float_V128.self), KernelKey(LSTM_H8_D8_Float.self), KernelKey(LSTM_H8_D8_Float_V512.self)]
        #expect(any.resolved(among: all)?.vectorBits == KernelKey.platformVectorBits)
        let others = all.filter { $0.vectorBits != KernelKey.platformVectorBits }
        #expect(any.resolved(among: others)?.vectorBits == others.compactMap(\.vectorBits).max())
        #expect(any.resolved(among: [KernelKey(LSTM_H5_D3_Float.self)]) == nil)
        let exact = KernelKey(LSTM_H8_D8_Float_V512.self)
        #expect(exact.resolved(among: all) == exact)
        #expect(exact.resolved(among: [KernelKey(LSTM_H8_D8_Float.self)]) == nil)
    }
}
