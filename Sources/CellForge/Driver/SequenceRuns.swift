/// Calls `body(first, count, length)` for each run of consecutive sequences in first..<end
/// that share one length > 0, in order, cut into pieces of at most `piece` sequences (the
/// sequences a kernel runs in lockstep, as one `KernelBatch`).
@inlinable
func forEachRun(from first: Int, to end: Int, lengths: UnsafePointer<Int>, piece: Int, _ body: (Int, Int, Int) -> Void) {
    var n = first
    while n < end {
        var run = 1
        while n + run < end && run < piece && lengths[n + run] == lengths[n] { run += 1 }
        if lengths[n] > 0 { body(n, run, lengths[n]) }
        n += run
    }
}

/// Calls `body` with a pointer to the array's scalars, or nil for a nil array.
@inlinable
func withOptionalPointer<S, R>(_ array: [S]?, _ body: (UnsafePointer<S>?) throws -> R) rethrows -> R {
    guard let array else { return try body(nil) }
    return try array.withUnsafeBufferPointer { try body($0.baseAddress) }
}
