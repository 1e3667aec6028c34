import Foundation

/// L-BFGS (Nocedal, 1980; the optimiser Gatys et al. and neural-style use): a quasi-Newton
/// method. It remembers the last `historySize` steps s = x_new - x_old and the gradient changes
/// y = g_new - g_old they caused, and from them estimates how the loss curves, so it can take a
/// step that is well scaled in every direction at once: d = -H g, where H (the inverse of the
/// curvature) is never stored, only applied, by the "two-loop recursion".
///
/// How the step length is chosen: **no line search** in the usual case, as in neural-style
/// (Torch's optim.lbfgs with its default of no line search): one iteration costs exactly one
/// loss evaluation, a whole forward and backward pass through VGG19, where a line search would
/// cost several, and the style-transfer loss is smooth enough that the full quasi-Newton step
/// rarely overshoots. Once a pair is remembered every step is that full step, t = learning rate
/// (1), since H carries the scale (H starts each time as gamma = s.y / y.y times the identity).
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
///
/// **A step that overshoots is taken back.** Doubling can overshoot: a doubled probe once took
/// the loss from 1.5e8 to 1.6e15. So every new point must pass Armijo's test of sufficient
/// decrease, f(x0 + t d) <= f(x0) + c t (g0 . d) with c = 1e-4: the loss must fall by at least
/// a small part of what the slope at x0 promised. A point that fails is refused (`step` returns
/// false) and the step is shortened, to where the parabola through f(x0), the slope g0 . d and
/// the failed f(x0 + t d) has its bottom, kept between a tenth and a half of t; the caller
/// evaluates there. A refusal while probing also ends the doubling. The usual full step passes
/// the test and costs nothing extra; only an overshoot costs an evaluation or two.
public struct LBFGS: Optimiser {
    public var historySize: Int
    public var learningRate: Float
    public var firstStepSize: Float
    /// Armijo's constant c: how much of the promised decrease a step must deliver.
    public var sufficientDecrease: Double = 1e-4
    /// The largest change of the next step while no pair is remembered.
    var probeStepSize: Float
    /// Whether the probe may still double (it stops after a refused probe).
    var probeMayDouble = true
    var steps: [[Float]] = []          // s_k
    var gradientChanges: [[Float]] = [] // y_k
    /// The last accepted point, its gradient and loss, and the step taken from it: x = x0 - t q.
    var previousX: [Float] = [], previousGradient: [Float] = []
    var previousLoss: Double? = nil
    var previousStep: [Float] = []     // q = H g0, so the direction is d = -q
    var previousT: Float = 0
    /// Refusals since the last accepted point.
    public private(set) var refusalsInARow = 0
    /// Refused points in all.
    public private(set) var refusals = 0

    public init(historySize: Int = 100, learningRate: Float = 1, firstStepSize: Float = 1) {
        self.historySize = historySize
        self.learningRate = learningRate
        self.firstStepSize = firstStepSize
        probeStepSize = firstStepSize
    }

    public mutating func step(_ x: inout [Float], loss: Double?, gradient g: [Float]) -> Bool {
        if let loss, let f0 = previousLoss, !previousX.isEmpty {
            // The slope along the step at x0: g0 . d = -g0 . q (negative for a descent direction).
            let slope = -dot(previousGradient, previousStep)
            let t = Double(previousT)
            if !(loss <= f0 + sufficientDecrease * t * slope) {
                refuse(&x, loss: loss, slope: slope)
                return false
            }
        }
        refusalsInARow = 0
        if !previousX.isEmpty {
            let s = zip(x, previousX).map { $0 - $1 }, y = zip(g, previousGradient).map { $0 - $1 }
            if dot(s, y) > 1e-10 * (dot(s, s) * dot(y, y)).squareRoot() {
                if steps.count == historySize {
                    steps.removeFirst()
                    gradientChanges.removeFirst()
                }
                steps.append(s)
                gradientChanges.append(y)
            } else if steps.isEmpty && probeMayDouble && dot(s, s) > 0 {
                probeStepSize *= 2
            }
        }
        var q = twoLoopRecursion(g)
        if !(dot(g, q) > 0) && dot(g, g) > 0 {
            // Rounding made H g no descent direction: start again from the gradient.
            steps.removeAll()
            gradientChanges.removeAll()
            q = g
        }
        var t = learningRate
        if steps.isEmpty {
            let largest = g.reduce(0) { max($0, abs($1)) }
            t = probeStepSize / max(largest, .leastNormalMagnitude) * learningRate
        }
        previousX = x
        previousGradient = g
        previousLoss = loss
        previousStep = q
        previousT = t
        addMultiple(-Double(t), of: q, to: &x)                           // x -= t H g
        return true
    }

    /// The point x0 - t q raised the loss to `loss` (more than Armijo's test allows): x becomes
    /// x0 - t' q with t' at the bottom of the parabola that fits f(x0), the slope and f there.
    mutating func refuse(_ x: inout [Float], loss: Double, slope: Double) {
        refusals += 1
        refusalsInARow += 1
        let t = Double(previousT), f0 = previousLoss!
        // f(x0 + u d) ~ f0 + slope u + curvature u^2: its bottom at u = -slope / (2 curvature).
        let curvature = (loss - f0 - slope * t) / (t * t)
        var shorter = 0.5 * t
        if curvature.isFinite && curvature > 0 { shorter = min(0.5 * t, max(0.1 * t, -slope / (2 * curvature))) }
        if refusalsInARow > 30 {
            // The loss will not fall along this direction (rounding at the bottom): forget the
            // history and probe along the gradient.
            steps.removeAll()
            gradientChanges.removeAll()
            previousStep = previousGradient
            probeStepSize = firstStepSize
            let largest = previousGradient.reduce(0) { max($0, abs($1)) }
            previousT = probeStepSize / max(largest, .leastNormalMagnitude) * learningRate
            refusalsInARow = 0
            x = previousX
            addMultiple(-Double(previousT), of: previousStep, to: &x)
            return
        }
        if steps.isEmpty {
            // A refused probe: later probes start from this shorter length and stop doubling.
            probeStepSize *= Float(shorter / t)
            probeMayDouble = false
        }
        previousT = Float(shorter)
        x = previousX
        addMultiple(-shorter, of: previousStep, to: &x)
    }

    /// d = -H g by the two-loop recursion; returns q = H g.
    func twoLoopRecursion(_ g: [Float]) -> [Float] {
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
        return q
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
