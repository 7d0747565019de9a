/// A vector type the run-time kernel computes on, with the activations the generated kernels
/// use for its scalar type (`SIMDMath`): the Float rational tanh and σ, libm per lane for Double.
protocol RuntimeLanes: SIMD where Scalar: CellScalar {
    /// tanh, lane by lane.
    static func activatedTanh(_ x: Self) -> Self
    /// σ, lane by lane.
    static func activatedSigmoid(_ x: Self) -> Self
}

/// Eight Float lanes (256 bits).
extension SIMD8: RuntimeLanes where Scalar == Float {
    @inline(__always) static func activatedTanh(_ x: Self) -> Self { SIMDMath.tanh(x) }
    @inline(__always) static func activatedSigmoid(_ x: Self) -> Self { SIMDMath.sigmoid(x) }
}

/// Four Double lanes (256 bits).
extension SIMD4: RuntimeLanes where Scalar == Double {
    @inline(__always) static func activatedTanh(_ x: Self) -> Self { SIMDMath.tanh(x) }
    @inline(__always) static func activatedSigmoid(_ x: Self) -> Self { SIMDMath.sigmoid(x) }
}
