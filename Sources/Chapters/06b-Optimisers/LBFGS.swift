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
///
/// **Inside a box** (BoxConstraint.swift) three things change, the projected quasi-Newton method
/// of Bertsekas (1982) with L-BFGS's H, as Kim, Sra and Dhillon (2010) use it:
/// 1. The values *held* by the box (on a bound, the gradient pointing out) are set aside: the
///    direction is computed from the gradient with their entries zeroed, and their entries of the
///    direction are zeroed too, so that H's estimate moves only the free values.
/// 2. The step is projected: x = P(x0 - t q). A free value that the step carries past its bound
///    stops on it, and is held from then on while the gradient keeps pushing it out.
/// 3. Armijo's test measures the step actually taken: f(x) <= f(x0) + c g0 . (x - x0), the
///    decrease the slope promises along the projected path, not along the straight line. A refused
///    step is shortened along the same path, and each pair is the step actually taken (s = x - x0,
///    after the projection), so H is estimated from points the loss was really evaluated at.
/// Without a box every step is exactly the free one.
public struct LBFGS: Optimiser {
    /// How many (s, y) pairs it remembers (neural-style's 100; style-transfer's 25).
    public var historySize: Int
    /// Multiplies each quasi-Newton step (1: the step as estimated).
    public var learningRate: Float
    /// The largest change of any value in the first probe, before any curvature is known.
    public var firstStepSize: Float
    /// Armijo's constant c: how much of the promised decrease a step must deliver.
    public var sufficientDecrease: Double = 1e-4
    /// The box the values stay in; nil: free.
    public var box: Box?
    /// The largest change of the next step while no pair is remembered.
    var probeStepSize: Float
    /// Whether the probe may still double (it stops after a refused probe).
    var probeMayDouble = true
    /// The remembered pairs.
    public internal(set) var memory = LBFGSMemory()
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

    /// L-BFGS remembering `historySize` pairs, its vector work done by `arithmetic`, inside `box`
    /// if one is given.
    public init(historySize: Int = 100, learningRate: Float = 1, firstStepSize: Float = 1,
                arithmetic: any LBFGSArithmetic = LBFGSLoops(), box: Box? = nil) {
        self.arithmetic = arithmetic
        self.box = box
        self.historySize = historySize
        self.learningRate = learningRate
        self.firstStepSize = firstStepSize
        probeStepSize = firstStepSize
    }

    /// One step from `x`, given its loss and gradient: false if `x` is refused (Armijo's test
    /// failed), and `x` is moved to the shortened step to evaluate instead.
    public mutating func step(_ x: inout [Float], loss: Double?, gradient g: [Float]) -> Bool {
        if let loss, let f0 = previousLoss, !previousX.isEmpty {
            // The slope along the step at x0: g0 . d = -g0 . q (negative for a descent direction);
            // inside a box, the promised decrease g0 . (x - x0) along the projected path, per unit of t.
            let t = Double(previousT)
            let slope = box == nil ? -arithmetic.dot(previousGradient, previousStep)
                                   : arithmetic.dot(previousGradient, minus: previousX, plus: x) / t
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
        // Inside a box, the gradient of the free values only (the held ones' entries zeroed).
        let free = freeGradient(g, at: x)
        var q = arithmetic.twoLoopRecursion(free, memory: memory)
        if let box { arithmetic.zeroHeld(&q, at: x, gradient: g, in: box) }
        if !(arithmetic.dot(free, q) > 0) && arithmetic.dot(free, free) > 0 {
            // Rounding made H g no descent direction: start again from the gradient.
            memory.forget()
            q = free
        }
        var t = learningRate
        if memory.isEmpty {
            let largest = free.reduce(0) { max($0, abs($1)) }
            t = probeStepSize / max(largest, .leastNormalMagnitude) * learningRate
        }
        previousX = x
        previousGradient = g
        previousLoss = loss
        previousStep = q
        previousT = t
        move(&x, by: -Double(t))                          // x = P(x0 - t H g)
        return true
    }

    /// The gradient with the entries of the values the box holds at `x` zeroed (the gradient itself without a box).
    func freeGradient(_ g: [Float], at x: [Float]) -> [Float] {
        guard let box else { return g }
        var free = g
        arithmetic.zeroHeld(&free, at: x, gradient: g, in: box)
        return free
    }

    /// x += c q, the step's direction q times c, then projected into the box if there is one.
    func move(_ x: inout [Float], by c: Double) {
        arithmetic.addMultiple(c, of: previousStep, to: &x)
        if let box { arithmetic.project(&x, into: box) }
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
            previousStep = freeGradient(previousGradient, at: previousX)
            probeStepSize = firstStepSize
            let largest = previousStep.reduce(0) { max($0, abs($1)) }
            previousT = probeStepSize / max(largest, .leastNormalMagnitude) * learningRate
            refusalsInARow = 0
            x = previousX
            move(&x, by: -Double(previousT))
            return
        }
        if memory.isEmpty {
            // A refused probe: later probes start from this shorter length and stop doubling.
            probeStepSize *= Float(shorter / t)
            probeMayDouble = false
        }
        previousT = Float(shorter)
        x = previousX
        move(&x, by: -shorter)
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
    /// g . (x - x0), summed in Double: the decrease the slope g at x0 promises for the step to x.
    func dot(_ g: [Float], minus x0: [Float], plus x: [Float]) -> Double
    /// x = P(x): every value clamped into the box.
    func project(_ x: inout [Float], into box: Box)
    /// The entries of v zeroed where the box holds x (on a bound, g pointing out: `Box.zeroHeld`).
    func zeroHeld(_ v: inout [Float], at x: [Float], gradient g: [Float], in box: Box)
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

    /// g . (x - x0), one value at a time, summed in Double.
    public func dot(_ g: [Float], minus x0: [Float], plus x: [Float]) -> Double {
        precondition(g.count == x0.count && g.count == x.count, "vectors of different lengths")
        var sum = 0.0
        for i in g.indices { sum += Double(g[i]) * Double(x[i] - x0[i]) }
        return sum
    }

    /// The box's own projection.
    public func project(_ x: inout [Float], into box: Box) { box.project(&x) }

    /// The box's own test of which values it holds.
    public func zeroHeld(_ v: inout [Float], at x: [Float], gradient g: [Float], in box: Box) {
        box.zeroHeld(&v, at: x, gradient: g)
    }
}
