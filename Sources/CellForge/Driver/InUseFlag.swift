import Synchronization

/// A driver's in-use mark: `enter` at the start of every call that touches the driver's
/// buffers or parameters, `leave` at its end. A second `enter` before the `leave` means two
/// threads are in one driver at once, and traps with a message naming the driver, instead
/// of letting them corrupt each other's memory, in every build configuration. One atomic
/// compare-exchange per call.
@usableFromInline
final class InUseFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    /// The trap message.
    private let message: String

    /// A flag for a driver named `driver` whose checked calls are `calls` (e.g. "train, infer").
    init(driver: String, calls: String) {
        message = "\(driver) used from two threads at once: a driver serves one call at a time "
            + "(\(calls)); give each thread its own driver"
    }

    /// Marks the driver in use, trapping if it already is (another thread is in a call).
    @usableFromInline func enter() {
        guard flag.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            fatalError(message)  // not preconditionFailure, whose message -O builds drop
        }
    }

    /// Marks the driver free again.
    @usableFromInline func leave() { flag.store(false, ordering: .releasing) }
}
