import CellForge
import Foundation

// Times DenseLayer.forward (DenseMath: SIMD8 over the input dimension) against `scalarForward`
// (the dense head's loop before the layers: four scalar partial sums) on one sequence of `steps` steps, for the
// sizes of issue 25; prints nanoseconds of thread CPU time per step (the minimum over samples) and, under the
// malloc-counting shim, allocations per forward and backward call. Built by run.sh.

let sizes = [(8, 1), (16, 1), (32, 8), (64, 64), (128, 128)]
let steps = 256

/// The least thread CPU time per call over 40 samples of about 2 ms each (CPU time, not wall
/// time: the machine is shared, and a preempted sample would otherwise count the other work).
@inline(never) func minimumSeconds(_ body: () -> Void) -> Double {
    body()
    var best = Double.infinity
    var clock = timespec()
    func now() -> Double { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &clock); return Double(clock.tv_sec) + Double(clock.tv_nsec) * 1e-9 }
    for _ in 0..<40 {
        let start = now()
        var n = 0
        repeat { body(); n += 1 } while now() - start < 0.002
        best = min(best, (now() - start) / Double(n))
    }
    return best
}

/// y_t = W·x_t + b with four scalar partial sums per row (element j into sum j mod 4, the bias
/// into the first, then (s0 + s1) + (s2 + s3)): the model head's loop before the dense layer.
@inline(__always) func scalarForward<S: CellScalar>(inputSize I: Int, outputSize O: Int, parameters: UnsafePointer<S>,
                                                    input h: UnsafePointer<S>, steps: Int, output y: UnsafeMutablePointer<S>) {
    let bias = parameters + O * I
    for t in 0..<steps {
        let ht = h + t * I, yt = y + t * O
        for o in 0..<O {
            let row = parameters + o * I
            var (s0, s1, s2, s3) = (bias[o], S(0), S(0), S(0))
            var j = 0
            while j + 4 <= I {
                s0 += row[j] * ht[j]
                s1 += row[j + 1] * ht[j + 1]
                s2 += row[j + 2] * ht[j + 2]
                s3 += row[j + 3] * ht[j + 3]
                j += 4
            }
            while j < I {
                s0 += row[j] * ht[j]
                j += 1
            }
            yt[o] = (s0 + s1) + (s2 + s3)
        }
    }
}

typealias Counter = @convention(c) () -> Int
let mallocCount: Counter? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "cellforge_malloc_count")
    .map { unsafeBitCast($0, to: Counter.self) }

func run<S: CellScalar>(_: S.Type) {
    print("\(S.typeName): ns per step (\(steps) steps), scalar (4 partial sums) | DenseLayer (SIMD8) | ratio")
    for (I, O) in sizes {
        var rng = SplitMix64(seed: UInt64(I * 1000 + O))
        let p: [S] = (0..<(O * (I + 1))).map { _ in rng.nextSigned(S.self) }
        let x: [S] = (0..<(steps * I)).map { _ in rng.nextSigned(S.self) }
        var y = [S](repeating: 0, count: steps * O), dy = y
        for k in dy.indices { dy[k] = rng.nextSigned(S.self) }
        var dx = x, g = p
        let layer = DenseLayer<S>(shape: try! DenseLayerShape(inputSize: I, outputSize: O))
        let tHead = p.withUnsafeBufferPointer { pp in x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in
            minimumSeconds { scalarForward(inputSize: I, outputSize: O, parameters: pp.baseAddress!, input: xp.baseAddress!, steps: steps, output: yp.baseAddress!) }
        } } }
        let tLayer = p.withUnsafeBufferPointer { pp in x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in
            let batch = KernelBatch(count: 1, length: steps, input: xp.baseAddress!, inputStride: steps * I, state: nil, stateStride: 0,
                                    output: yp.baseAddress!, outputStride: steps * O)
            return minimumSeconds { layer.forward(parameters: pp.baseAddress!, batch: batch) }
        } } }
        var allocations = ""
        if let mallocCount {
            p.withUnsafeBufferPointer { pp in x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in
                dy.withUnsafeBufferPointer { dyp in dx.withUnsafeMutableBufferPointer { dxp in g.withUnsafeMutableBufferPointer { gp in
                    let batch = KernelBatch(count: 1, length: steps, input: xp.baseAddress!, inputStride: steps * I, state: nil, stateStride: 0,
                                            output: yp.baseAddress!, outputStride: steps * O, outputGradient: dyp.baseAddress!,
                                            inputGradient: dxp.baseAddress!)
                    layer.forward(parameters: pp.baseAddress!, batch: batch)
                    layer.backward(parameters: pp.baseAddress!, batch: batch, parameterGradient: gp.baseAddress!)
                    let before = mallocCount()
                    for _ in 0..<1000 {
                        layer.forward(parameters: pp.baseAddress!, batch: batch)
                        layer.backward(parameters: pp.baseAddress!, batch: batch, parameterGradient: gp.baseAddress!)
                    }
                    allocations = "  mallocs per forward+backward: \(Double(mallocCount() - before) / 1000)"
                } } }
            } } }
        }
        let (a, b) = (tHead / Double(steps) * 1e9, tLayer / Double(steps) * 1e9)
        print(String(format: "  I %3d O %3d   %8.2f | %8.2f | %5.2f×", I, O, a, b, a / b) + allocations)
    }
}

run(Float.self)
run(Double.self)
