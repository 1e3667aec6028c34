import Foundation

/// L-BFGS (Nocedal, 1980; the optimiser Gatys et al. and neural-style use): a quasi-Newton
/// method. It remembers the last `historySize` steps s = x_new - x_old and the gradient changes
/// y = g_new - g_old they caused, and from them estimates how the loss curves, so it can take a
/// step that is well scaled in every direction at once: d = -H g, where H (the inverse of the
/// curvature) is never stored, only applied, by the "two-loop recursion".
///
/// How the step length is chosen: **no line search**, as in neural-style (Torch's optim.lbfgs
/// with its default of no line search): one iteration costs exactly one loss evaluation, a
/// whole forward and backward pass through VGG19, where a line search would cost several, and
/// the style-transfer loss is smooth enough that the full quasi-Newton step rarely overshoots.
/// Once a pair is remembered every step is that full step, t = learning rate (1), since H
/// carries the scale (H starts each time as gamma = s.y / y.y times the identity).
///
/// Before any pair is remembered the direction is just -g and its scale is unknown. The first
/// step moves the value that moves most by `firstStepSize` (1 on the 0...255 pixel scale).
/// A pair is remembered only if s.y > 1e-10 |s| |y| (positive curvature, which keeps H
/// positive definite). If the first step's pair is not (s.y <= 0: the slope along s got
/// steeper, so the loss is still falling faster and the step stopped short of the bottom),
/// the next step is twice as long, and so on, until a step passes the bottom along its
/// direction: then the slope there has turned, s.y > 0, and the pair is remembered.
/// This matters from white noise: its Gram matrices lie far below a painting's, where the style
/// loss curves downwards, and steps of a fixed small size would crawl for hundreds of
/// iterations. (Torch takes t = min(1, 1/|g|_1) first, then raw gradient steps, which on a
/// large image either barely move or, with a large gradient, jump far.)
/// The curvature test is relative, unlike Torch's absolute s.y > 1e-10, so that a loss with
/// tiny gradients, such as a style loss with weight 1, still builds up its history.
public struct LBFGS: Optimiser {
    public var historySize: Int
    public var learningRate: Float
    public var firstStepSize: Float
    /// The largest change of the next step while no pair is remembered.
    var probeStepSize: Float
    var steps: [[Float]] = []          // s_k
    var gradientChanges: [[Float]] = [] // y_k
    var previousX: [Float] = [], previousGradient: [Float] = []

    public init(historySize: Int = 100, learningRate: Float = 1, firstStepSize: Float = 1) {
        self.historySize = historySize
        self.learningRate = learningRate
        self.firstStepSize = firstStepSize
        probeStepSize = firstStepSize
    }

    public mutating func step(_ x: inout [Float], gradient g: [Float]) {
        if !previousX.isEmpty {
            let s = zip(x, previousX).map { $0 - $1 }, y = zip(g, previousGradient).map { $0 - $1 }
            if dot(s, y) > 1e-10 * (dot(s, s) * dot(y, y)).squareRoot() {
                if steps.count == historySize {
                    steps.removeFirst()
                    gradientChanges.removeFirst()
                }
                steps.append(s)
                gradientChanges.append(y)
            } else if steps.isEmpty {
                probeStepSize *= 2
            }
        }
        // Two-loop recursion: d = -H g, computed as q = H g.
        var q = g
        var alphas = [Double](repeating: 0, count: steps.count)
        let rhos = steps.indices.map { 1 / dot(gradientChanges[$0], steps[$0]) }
        for k in stride(from: steps.count - 1, through: 0, by: -1) {
            alphas[k] = rhos[k] * dot(steps[k], q)
            addMultiple(-alphas[k], of: gradientChanges[k], to: &q)      // q -= alpha_k y_k
        }
        if let s = steps.last, let y = gradientChanges.last {
            let gamma = Float(dot(s, y) / dot(y, y))
            for i in q.indices { q[i] *= gamma }
        }
        for k in steps.indices {
            let beta = rhos[k] * dot(gradientChanges[k], q)
            addMultiple(alphas[k] - beta, of: steps[k], to: &q)          // q += (alpha_k - beta) s_k
        }
        var t = learningRate
        if steps.isEmpty {
            let largest = g.reduce(0) { max($0, abs($1)) }
            t = probeStepSize / max(largest, .leastNormalMagnitude) * learningRate
        }
        previousX = x
        previousGradient = g
        addMultiple(-Double(t), of: q, to: &x)                           // x -= t H g
    }
}

// The vector arithmetic of the two-loop recursion, over whole images (a few million values,
// read 4 x 100 times per step): written so the compiler keeps it in vector registers, and split
// between the cores in blocks (the result does not depend on how many there are).

/// Values per block: each block's partial sum is computed on its own, then the partial sums
/// are added in order, so every machine gets the same result.
let blockSize = 1 << 15

/// a.b, summed in Double, eight lanes at a time.
func dot(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count)
    let n = a.count, blocks = (n + blockSize - 1) / blockSize
    var partial = [Double](repeating: 0, count: blocks)
    a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            partial.withUnsafeMutableBufferPointer { partial in
                let (a, b, partial) = (SendablePointer(a.baseAddress), SendablePointer(b.baseAddress), SendablePointer(partial.baseAddress))
                DispatchQueue.concurrentPerform(iterations: blocks) { block in
                    let start = block * blockSize, end = min(start + blockSize, n)
                    var sums = SIMD8<Double>()
                    var i = start
                    while i + 8 <= end {
                        let x = SIMD8<Double>(UnsafeRawPointer(a.pointer! + i).loadUnaligned(as: SIMD8<Float>.self))
                        let y = SIMD8<Double>(UnsafeRawPointer(b.pointer! + i).loadUnaligned(as: SIMD8<Float>.self))
                        sums += x * y
                        i += 8
                    }
                    var sum = sums.sum()
                    while i < end { sum += Double(a.pointer![i]) * Double(b.pointer![i]); i += 1 }
                    partial.pointer![block] = sum
                }
            }
        }
    }
    return partial.reduce(0, +)
}

/// y += c x.
func addMultiple(_ c: Double, of x: [Float], to y: inout [Float]) {
    precondition(x.count == y.count)
    let c = Float(c), n = x.count
    x.withUnsafeBufferPointer { x in
        y.withUnsafeMutableBufferPointer { y in
            let (x, y) = (SendablePointer(x.baseAddress), SendablePointer(y.baseAddress))
            DispatchQueue.concurrentPerform(iterations: (n + blockSize - 1) / blockSize) { block in
                for i in block * blockSize..<min((block + 1) * blockSize, n) { y.pointer![i] += c * x.pointer![i] }
            }
        }
    }
}

/// A pointer the blocks share; each block touches only its own range.
struct SendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>?
    init(_ p: UnsafePointer<T>?) { pointer = UnsafeMutablePointer(mutating: p) }
    init(_ p: UnsafeMutablePointer<T>?) { pointer = p }
}
