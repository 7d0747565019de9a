import CellForge
import Testing

/// Every committed kernel agrees with the reference cell on random cases:
/// outputs, final state and every gradient.
@Suite struct KernelAgreementTests {
    /// Every committed kernel (all three kernel sets), opened through its registry.
    @Test(arguments: CommittedKernels.keys) func kernelMatchesReference(_ key: KernelKey) throws {
        try CommittedKernels.open(key, with: ReferenceAgreement())
    }

    /// Checks the kernel it is given against the reference cell.
    struct ReferenceAgreement: KernelOpener {
        func open<K: GeneratedKernel>(_ kernel: K) throws {
            try checkAgainstReference(kernel, "\(KernelKey(K.self))")
        }
    }
}

/// Checks `kernel` against the Double reference cell on random cases, at the tolerances every
/// kernel is held to (generated and run-time alike).
func checkAgainstReference<K: RecurrentKernel>(_ kernel: K, _ what: String) throws {
    if K.Scalar.self == Double.self {
        // Double kernels differ from the reference only in summation order and FMA contraction.
        for (T, seed) in [(1, UInt64(21)), (9, 22)] {
            check(try checkKernel(kernel, length: T, seed: seed), tolerance: 1e-12, "\(what) T\(T)")
        }
    } else {
        // Float kernels: each output is a chain of about T·(H + D) multiply-adds whose rounding
        // errors (ε = 6e-8) add up like a random walk, √(T·(H + D))·ε ≈ √(24·128)·6e-8 ≈ 3.3e-6 of
        // the largest magnitude at H64 D64 T24; the vector tanh adds ≤ 3e-7 per activation. 5e-6
        // of each tensor's scale bounds both (measured: at most 7.3e-7); a wrong formula or lane
        // shows up at 1e-3 or more.
        for (T, seed) in [(1, UInt64(11)), (7, 12), (24, 13)] {
            check(try checkKernel(kernel, length: T, seed: seed), tolerance: 5e-6, "\(what) T\(T)")
        }
    }
}

/// Every relative error within `tolerance`, and the gradient padding untouched.
private func check(_ outcome: KernelOutcome, tolerance: Double, _ what: String) {
    #expect(outcome.errors.count == 5)
    for (name, error) in outcome.errors.sorted(by: { $0.key < $1.key }) {
        #expect(error <= tolerance, "\(what) \(name): relative error \(error)")
    }
    #expect(outcome.paddingStayedZero, "\(what): gradient padding lanes changed")
}
