/// A small, fast, seedable random number generator (SplitMix64, Steele et al. 2014).
///
/// CellForge uses it wherever a reproducible stream is needed: parameter
/// initialisation, synthetic data, tests. The same seed gives the same stream
/// on every platform.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose stream is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value uniform in [−1, 1), exact in Float and Double (53 random bits, then rounded).
    public mutating func nextSigned<S: BinaryFloatingPoint>(_: S.Type = S.self) -> S {
        S(Double(next() >> 11) * 0x1p-52 - 1)
    }
}
