import Foundation

/// A floating-point type CellForge cells compute in: `Float` or `Double`.
///
/// Adds the two transcendental functions the reference cells need, taken from
/// the platform's libm so the reference stays an independent oracle for the
/// generated kernels (which use their own vectorised approximation).
public protocol CellScalar: BinaryFloatingPoint, SIMDScalar, Codable, Sendable, CustomStringConvertible {
    /// Hyperbolic tangent, correctly rounded to within libm's accuracy.
    static func tanh(_ x: Self) -> Self
    /// Natural exponential, within libm's accuracy.
    static func exp(_ x: Self) -> Self
    /// A short name for messages and generated code ("Float", "Double").
    static var typeName: String { get }
}

extension Float: CellScalar {
    @inlinable public static func tanh(_ x: Float) -> Float { Foundation.tanhf(x) }
    @inlinable public static func exp(_ x: Float) -> Float { Foundation.expf(x) }
    public static var typeName: String { "Float" }
}

extension Double: CellScalar {
    @inlinable public static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
    @inlinable public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    public static var typeName: String { "Double" }
}

extension CellScalar {
    /// The logistic sigmoid σ(x) = 1 / (1 + e^(−x)), written plainly.
    @inlinable public static func sigmoid(_ x: Self) -> Self { 1 / (1 + exp(-x)) }
}
