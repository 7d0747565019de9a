import Foundation

/// Allocations counted by the malloc-counting `LD_PRELOAD` shim (Benchmarks/peers/malloc_count.c,
/// see README "Real-time rules"), when the process runs under it.
enum MallocCounter {
    /// The shim's running count of malloc, calloc, realloc, memalign, posix_memalign and
    /// aligned_alloc calls, or nil without the shim.
    static var count: (@convention(c) () -> Int)? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "cellforge_malloc_count").map { unsafeBitCast($0, to: (@convention(c) () -> Int).self) }
    }

    /// Allocations per call of `body` over `repetitions` calls after one warm-up call, or nil
    /// without the shim.
    static func perCall(repetitions: Int, _ body: () -> Void) -> Double? {
        guard let count else { return nil }
        body()
        let before = count()
        for _ in 0..<repetitions { body() }
        return Double(count() - before) / Double(repetitions)
    }
}
