import Dispatch
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
/// (see `runChunks`).
@usableFromInline
struct UncheckedSendable<Value>: @unchecked Sendable {
    @usableFromInline let value: Value
    @inlinable init(_ value: Value) { self.value = value }
}

/// Runs `body(chunk, worker)` for chunks 0..<`chunks`: inline on the calling thread for one
/// worker, otherwise on up to `workers` threads that claim chunks from `counter` until none is left.
@inlinable
func runChunks(_ chunks: Int, workers workerCount: Int, counter: ChunkCounter,
               _ body: (_ chunk: Int, _ worker: Int) -> Void) {
    let workers = min(workerCount, chunks)
    guard workers > 1 else {
        for c in 0..<chunks { body(c, 0) }
        return
    }
    counter.reset()
    // concurrentPerform wants a @Sendable closure; chunk bodies touch only their own
    // chunk's buffers and their worker's scratch (and read shared inputs), and the
    // call returns only after every worker is done, so passing `body` across is safe.
    withoutActuallyEscaping(body) { body in
        let work = UncheckedSendable(body)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while let c = counter.claim(below: chunks) { work.value(c, worker) }
        }
    }
    counter.reset()
}
