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
    /// How many (s, y) pairs it remembers (neural-style's 100; style-transfer's 25).
    public var historySize: Int
    /// Multiplies each quasi-Newton step (1: the step as estimated).
    public var learningRate: Float
    /// The largest change of any value in the first probe, before any curvature is known.
    public var firstStepSize: Float
    /// Armijo's constant c: how much of the promised decrease a step must deliver.
    public var sufficientDecrease: Double = 1e-4
    /// The largest change of the next step while no pair is remembered.
    var probeStepSize: Float
    /// Whether the probe may still double (it stops after a refused probe).
    var probeMayDouble = true
    /// The remembered pairs.
    public private(set) var memory = LBFGSMemory()
    /// How the vector operations are done: each as its plain loop (`LBFGSLoops`), or, in the
    /// engine, fused and shared between the cores (`FastLBFGSLoops`).
    public var arithmetic: any LBFGSArithmetic
    /// The last accepted point, its gradient and loss, and the step taken from it: x = x0 - t q.
    var previousX: [Float] = [], previousGradient: [Float] = []
    var previousLoss: Double? = nil
    var previousStep: [Float] = []     // q = H g0, so the direction is d = -q
    var previousT: Float = 0
    /// Refusals since the last accepted point.
    public private(set) var refusalsInARow = 0
    /// Refused points in all.
    public private(set) var refusals = 0

    /// L-BFGS remembering `historySize` pairs, its vector work done by `arithmetic`.
    public init(historySize: Int = 100, learningRate: Float = 1, firstStepSize: Float = 1,
                arithmetic: any LBFGSArithmetic = LBFGSLoops()) {
        self.arithmetic = arithmetic
        self.historySize = historySize
        self.learningRate = learningRate
        self.firstStepSize = firstStepSize
        probeStepSize = firstStepSize
    }

    /// One step from `x`, given its loss and gradient: false if `x` is refused (Armijo's test
    /// failed), and `x` is moved to the shortened step to evaluate instead.
    public mutating func step(_ x: inout [Float], loss: Double?, gradient g: [Float]) -> Bool {
        if let loss, let f0 = previousLoss, !previousX.isEmpty {
            // The slope along the step at x0: g0 . d = -g0 . q (negative for a descent direction).
            let slope = -arithmetic.dot(previousGradient, previousStep)
            let t = Double(previousT)
            if !(loss <= f0 + sufficientDecrease * t * slope) {
                refuse(&x, loss: loss, slope: slope)
                return false
            }
        }
        refusalsInARow = 0
        if !previousX.isEmpty {
            let (s, y, sy, ss, yy) = arithmetic.pair(x: x, x0: previousX, g: g, g0: previousGradient)
            if sy > 1e-10 * (ss * yy).squareRoot() {
                memory.remember(s: s, y: y, sy: sy, yy: yy, keeping: historySize)
            } else if memory.isEmpty && probeMayDouble && ss > 0 {
                probeStepSize *= 2
            }
        }
        var q = arithmetic.twoLoopRecursion(g, memory: memory)
        if !(arithmetic.dot(g, q) > 0) && arithmetic.dot(g, g) > 0 {
            // Rounding made H g no descent direction: start again from the gradient.
            memory.forget()
            q = g
        }
        var t = learningRate
        if memory.isEmpty {
            let largest = g.reduce(0) { max($0, abs($1)) }
            t = probeStepSize / max(largest, .leastNormalMagnitude) * learningRate
        }
        previousX = x
        previousGradient = g
        previousLoss = loss
        previousStep = q
        previousT = t
        arithmetic.addMultiple(-Double(t), of: q, to: &x)                // x -= t H g
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
            memory.forget()
            previousStep = previousGradient
            probeStepSize = firstStepSize
            let largest = previousGradient.reduce(0) { max($0, abs($1)) }
            previousT = probeStepSize / max(largest, .leastNormalMagnitude) * learningRate
            refusalsInARow = 0
            x = previousX
            arithmetic.addMultiple(-Double(previousT), of: previousStep, to: &x)
            return
        }
        if memory.isEmpty {
            // A refused probe: later probes start from this shorter length and stop doubling.
            probeStepSize *= Float(shorter / t)
            probeMayDouble = false
        }
        previousT = Float(shorter)
        x = previousX
        arithmetic.addMultiple(-shorter, of: previousStep, to: &x)
    }
}

/// What L-BFGS remembers: the last steps s_k = x_(k+1) - x_k, the gradient changes y_k they
/// caused, rho_k = 1 / (y_k . s_k) with each pair, and gamma = s.y / y.y of the newest pair
/// (how the first guess at H, gamma times the identity, is scaled).
public struct LBFGSMemory {
    /// s_k = x_(k+1) - x_k, oldest first.
    public private(set) var steps: [[Float]] = []
    /// y_k = g_(k+1) - g_k, with each step.
    public private(set) var gradientChanges: [[Float]] = []
    /// rho_k = 1 / (y_k . s_k), with each pair.
    public private(set) var rhos: [Double] = []
    /// gamma = s.y / y.y of the newest pair: the scale of the first guess at the inverse curvature.
    public private(set) var newestGamma = 1.0

    /// Nothing remembered.
    public init() {}

    /// Whether no pair is remembered yet.
    public var isEmpty: Bool { steps.isEmpty }
    /// How many pairs are remembered.
    public var count: Int { steps.count }

    /// Adds a pair (s.y and y.y already known), forgetting the oldest past `historySize`.
    mutating func remember(s: [Float], y: [Float], sy: Double, yy: Double, keeping historySize: Int) {
        if steps.count == historySize {
            steps.removeFirst()
            gradientChanges.removeFirst()
            rhos.removeFirst()
        }
        steps.append(s)
        gradientChanges.append(y)
        rhos.append(1 / sy)
        newestGamma = sy / yy
    }

    mutating func forget() {
        steps.removeAll()
        gradientChanges.removeAll()
        rhos.removeAll()
    }
}

/// The vector operations L-BFGS is made of, on vectors of a whole image's values. `LBFGSLoops`
/// writes each as the loop it is; the engine's `FastLBFGSLoops` (Sources/FastEngine/
/// FastOptimisers) fuses them and shares them between the cores, and is tested against it.
public protocol LBFGSArithmetic: Sendable {
    /// a . b, summed in Double.
    func dot(_ a: [Float], _ b: [Float]) -> Double
    /// y += c x.
    func addMultiple(_ c: Double, of x: [Float], to y: inout [Float])
    /// s = x - x0 and y = g - g0, with s.y, s.s and y.y.
    func pair(x: [Float], x0: [Float], g: [Float], g0: [Float]) -> (s: [Float], y: [Float], sy: Double, ss: Double, yy: Double)
    /// q = H g, H the inverse curvature the remembered pairs estimate (d = -q is the step's direction).
    func twoLoopRecursion(_ g: [Float], memory: LBFGSMemory) -> [Float]
}

/// L-BFGS's vector operations as plain loops: the reference.
public struct LBFGSLoops: LBFGSArithmetic {
    /// The plain loops.
    public init() {}

    /// a . b, one product at a time, summed in Double.
    public func dot(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count, "vectors of different lengths")
        var sum = 0.0
        for i in a.indices { sum += Double(a[i]) * Double(b[i]) }
        return sum
    }

    /// y += c x, value by value.
    public func addMultiple(_ c: Double, of x: [Float], to y: inout [Float]) {
        precondition(x.count == y.count, "vectors of different lengths")
        for i in y.indices { y[i] += Float(c) * x[i] }
    }

    /// s = x - x0 and y = g - g0, and their three dot products.
    public func pair(x: [Float], x0: [Float], g: [Float], g0: [Float]) -> (s: [Float], y: [Float], sy: Double, ss: Double, yy: Double) {
        let s = zip(x, x0).map { $0 - $1 }, y = zip(g, g0).map { $0 - $1 }
        return (s, y, dot(s, y), dot(s, s), dot(y, y))
    }

    /// The two-loop recursion (Nocedal and Wright, algorithm 7.4), H never stored, only applied:
    ///
    ///     q = g
    ///     for k newest to oldest:  alpha_k = rho_k s_k . q;   q -= alpha_k y_k
    ///     q *= gamma
    ///     for k oldest to newest:  beta_k = rho_k y_k . q;    q += (alpha_k - beta_k) s_k
    public func twoLoopRecursion(_ g: [Float], memory: LBFGSMemory) -> [Float] {
        var q = g
        let n = memory.count
        var alphas = [Double](repeating: 0, count: n)
        for k in stride(from: n - 1, through: 0, by: -1) {
            alphas[k] = memory.rhos[k] * dot(memory.steps[k], q)
            addMultiple(-alphas[k], of: memory.gradientChanges[k], to: &q)
        }
        if n > 0 { for i in q.indices { q[i] *= Float(memory.newestGamma) } }
        for k in 0..<n {
            let beta = memory.rhos[k] * dot(memory.gradientChanges[k], q)
            addMultiple(alphas[k] - beta, of: memory.steps[k], to: &q)
        }
        return q
    }
}
