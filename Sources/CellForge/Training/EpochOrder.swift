/// The order a `Trainer` visits the training sequences in each epoch: a Fisher–Yates shuffle
/// drawn from `SplitMix64` seeded by the run's seed and the epoch, with unbiased bounded draws
/// (Lemire's multiply-and-reject), so the order is the same on every platform, for any worker
/// count, and for a run resumed at any epoch.
public enum EpochOrder {
    /// The permutation of 0..<count for epoch `epoch` (counting from 0) of a run seeded `seed`.
    public static func permutation(count: Int, seed: UInt64, epoch: Int) -> [Int] {
        var rng = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: epoch) &* 0xD1B5_4A32_D192_ED03))
        var order = Array(0..<count)
        for i in stride(from: count - 1, to: 0, by: -1) {
            order.swapAt(i, Int(draw(below: UInt64(i + 1), &rng)))
        }
        return order
    }

    /// A value uniform in 0..<bound (bound ≥ 1).
    static func draw(below bound: UInt64, _ rng: inout SplitMix64) -> UInt64 {
        var product = rng.next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = rng.next().multipliedFullWidth(by: bound) }
        }
        return product.high
    }
}
