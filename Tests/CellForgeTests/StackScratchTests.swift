import CellForge
#if canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing

/// `StackScratch`: scratch of the requested size, aligned, distinct for nested calls, and
/// from the stack up to `maximumBytes` (the backward's transposed copies).
@Suite struct StackScratchTests {
    /// Capacities around each size class's edges, in scalars of `Scalar`.
    static func capacities<Scalar: CellScalar>(_: Scalar.Type) -> [Int] {
        let s = MemoryLayout<Scalar>.stride
        return [1, 3] + [1024, 2048, 4096, 8192, 16384, StackScratch.maximumBytes].flatMap { [$0 / s - 1, $0 / s, $0 / s + 1] }
    }

    /// Every scalar can be written and read back, and the pointer is 16-byte aligned.
    func holds<Scalar: CellScalar>(_: Scalar.Type) {
        for n in Self.capacities(Scalar.self) {
            let sum = StackScratch.with(Scalar.self, capacity: n) { p -> Scalar in
                #expect(Int(bitPattern: p) % 16 == 0, "capacity \(n): pointer \(p) is not 16-byte aligned")
                for k in 0..<n { p[k] = Scalar(k % 97) }
                return (0..<n).reduce(0) { $0 + p[$1] }
            }
            #expect(sum == (0..<n).reduce(Scalar(0)) { $0 + Scalar($1 % 97) }, "capacity \(n)")
        }
    }

    @Test func holdsEveryScalarFloat() { holds(Float.self) }
    @Test func holdsEveryScalarDouble() { holds(Double.self) }

    /// A call inside another gets memory that does not overlap the outer call's.
    @Test func nestedCallsDoNotOverlap() {
        for (outer, inner) in [(300, 300), (600, 2000), (4000, 100), (3000, 3000), (5000, 8000)] {
            StackScratch.with(Float.self, capacity: outer) { a in
                for k in 0..<outer { a[k] = 1 }
                StackScratch.with(Float.self, capacity: inner) { b in
                    for k in 0..<inner { b[k] = 2 }
                    let disjoint = b + inner <= a || a + outer <= b
                    #expect(disjoint, "capacities \(outer), \(inner)")
                }
                #expect((0..<outer).allSatisfy { a[$0] == 1 }, "capacities \(outer), \(inner)")
            }
        }
    }

    /// The calling thread's stack, [low, high): on Linux the mapping in /proc/self/maps that
    /// holds one of its local variables.
    static func threadStack() -> (low: Int, high: Int) {
        var local = 0
        let anchor = withUnsafeMutablePointer(to: &local) { Int(bitPattern: $0) }
        #if canImport(Darwin)
        let high = Int(bitPattern: pthread_get_stackaddr_np(pthread_self()))
        return (high - pthread_get_stacksize_np(pthread_self()), high)
        #else
        let maps = (try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8)) ?? ""
        for line in maps.split(separator: "\n") {
            let range = line.prefix { $0 != " " }.split(separator: "-").compactMap { Int($0, radix: 16) }
            if range.count == 2, range[0] <= anchor, anchor < range[1] { return (range[0], range[1]) }
        }
        return (anchor, anchor)
        #endif
    }

    /// Up to `maximumBytes` the scratch lies inside the calling thread's stack; above, outside it.
    @Test func upToTheLimitTheScratchIsOnTheStack() {
        let stack = Self.threadStack()
        #expect(stack.high - stack.low >= 64 * 1024, "stack \(stack)")
        for bytes in [1000, 1500, 3000, 6000, 12000, 20000, StackScratch.maximumBytes, StackScratch.maximumBytes + 4] {
            StackScratch.with(Float.self, capacity: bytes / 4) { p in
                let a = Int(bitPattern: p)
                let onStack = a >= stack.low && a + bytes <= stack.high
                #expect(onStack == (bytes <= StackScratch.maximumBytes), "\(bytes) bytes: scratch at \(p), stack \(stack)")
            }
        }
    }
}
