import Foundation

/// Hands out chunk indices 0, 1, 2, … to worker threads, one at a time, under a lock.
///
/// Which worker runs a chunk never changes its result, so dynamic claiming balances
/// load without costing determinism. The lock also orders memory: a worker's writes
/// before its last `claim` are visible to whoever next calls `claim` or `reset`.
@usableFromInline
final class ChunkCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    @usableFromInline init() {}

    /// Restarts at chunk 0 (and acquires every earlier worker's writes).
    @usableFromInline func reset() {
        lock.lock()
        next = 0
        lock.unlock()
    }

    /// The next unclaimed chunk below `count`, or nil when all are taken.
    @usableFromInline func claim(below count: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }
}

/// A value handed to other threads under a guarantee the compiler cannot check
/// (see `BatchDriver.forEachChunk`).
@usableFromInline
struct UncheckedSendable<Value>: @unchecked Sendable {
    @usableFromInline let value: Value
    @inlinable init(_ value: Value) { self.value = value }
}
