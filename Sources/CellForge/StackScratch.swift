/// Stack scratch for a generated kernel's backward: the transposed copies of U and W that
/// its transposed products read (see README, "Inside a kernel"), up to `maximumBytes`, with
/// no allocation in the training step.
///
/// `withUnsafeTemporaryAllocation` takes only 1 KiB from the stack on Linux and goes to the
/// heap above it. Between 1 KiB and `maximumBytes` this zero-fills a local value of the next
/// power-of-two size (2 to 32 KiB) instead: at most twice the request, once per backward call
/// (T steps of work). For per-call scratch on a short path it costs more than glibc's malloc:
/// lone-sequence inference rings of 1.3–2 KiB were 5–50% slower per sample on the stack this
/// way (README, "Using a generated kernel"), so those keep `withUnsafeTemporaryAllocation`.
public enum StackScratch {
    /// Largest scratch taken from the stack: 32 KiB. Larger requests come from the heap;
    /// generated kernels only ask for what fits.
    public static let maximumBytes = 32 * 1024

    /// Calls `body` with scratch for `capacity` ≥ 0 scalars (contents unspecified; at least
    /// 16-byte aligned), valid only during the call: from the stack when `capacity` scalars
    /// take at most `maximumBytes`, else from the heap.
    @inlinable @inline(__always)
    public static func with<Scalar: CellScalar, Result>(_ type: Scalar.Type, capacity: Int,
                                                        _ body: (UnsafeMutablePointer<Scalar>) throws -> Result) rethrows -> Result {
        let bytes = capacity * MemoryLayout<Scalar>.stride
        if bytes <= 1024 || bytes > maximumBytes {
            return try withUnsafeTemporaryAllocation(of: Scalar.self, capacity: max(capacity, 1)) { try body($0.baseAddress!) }
        }
        if bytes <= 2048 { return try onStack(StackBytes2K.self, capacity: capacity, body) }
        if bytes <= 4096 { return try onStack(StackBytes4K.self, capacity: capacity, body) }
        if bytes <= 8192 { return try onStack(StackBytes8K.self, capacity: capacity, body) }
        if bytes <= 16384 { return try onStack(StackBytes16K.self, capacity: capacity, body) }
        return try onStack(StackBytes32K.self, capacity: capacity, body)
    }

    /// `body` on the bytes of a local zero value of `Storage`, seen as `capacity` scalars.
    @inlinable @inline(__always)
    static func onStack<Storage: StackBytes, Scalar: CellScalar, Result>(
        _: Storage.Type, capacity: Int, _ body: (UnsafeMutablePointer<Scalar>) throws -> Result) rethrows -> Result {
        var storage = Storage()
        return try withUnsafeMutablePointer(to: &storage) {
            try $0.withMemoryRebound(to: Scalar.self, capacity: capacity) { try body($0) }
        }
    }
}

/// A fixed number of zero bytes held in a value, so that a local variable of it lives on the stack.
@usableFromInline
protocol StackBytes {
    /// All zero.
    init()
}

extension SIMD64: StackBytes where Scalar == UInt8 {}

/// Twice `Half`'s bytes, one after the other.
@frozen @usableFromInline
struct StackBytesPair<Half: StackBytes>: StackBytes {
    @usableFromInline var low: Half
    @usableFromInline var high: Half
    @inlinable init() { (low, high) = (Half(), Half()) }
}

@usableFromInline typealias StackBytes128 = StackBytesPair<SIMD64<UInt8>>
@usableFromInline typealias StackBytes256 = StackBytesPair<StackBytes128>
@usableFromInline typealias StackBytes512 = StackBytesPair<StackBytes256>
@usableFromInline typealias StackBytes1K = StackBytesPair<StackBytes512>
@usableFromInline typealias StackBytes2K = StackBytesPair<StackBytes1K>
@usableFromInline typealias StackBytes4K = StackBytesPair<StackBytes2K>
@usableFromInline typealias StackBytes8K = StackBytesPair<StackBytes4K>
@usableFromInline typealias StackBytes16K = StackBytesPair<StackBytes8K>
@usableFromInline typealias StackBytes32K = StackBytesPair<StackBytes16K>
