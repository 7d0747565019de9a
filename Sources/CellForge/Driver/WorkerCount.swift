/// The worker counts `BatchDriver` and `ModelDriver` accept, and how many of them a call uses.
@usableFromInline
enum WorkerCount {
    /// The largest worker count accepted, 4096 (as for sizes): more threads than that cannot
    /// help, and Dispatch would create them all.
    @usableFromInline static let maximum = 4096

    /// Throws unless `count` is between 1 and `maximum`.
    static func validate(_ count: Int) throws {
        guard (1...maximum).contains(count) else {
            throw CellForgeError.invalidSize(name: "worker count", value: count, allowed: "between 1 and \(maximum)")
        }
    }

    /// Workers a call over `chunks` chunks uses with `workerCount` allowed: min(`workerCount`, chunks),
    /// at least 1. Per-worker buffers are sized by this, not by `workerCount`.
    @inlinable static func used(_ workerCount: Int, chunks: Int) -> Int { max(1, min(workerCount, chunks)) }
}
