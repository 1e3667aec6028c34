/// L-BFGS (Nocedal, 1980; the optimiser Gatys et al. and neural-style use): a quasi-Newton
/// method. It remembers the last `historySize` steps s = x_new - x_old and the gradient changes
/// y = g_new - g_old they caused, and from them estimates how the loss curves, so it can take a
/// step that is well scaled in every direction at once: d = -H g, where H (the inverse of the
/// curvature) is never stored, only applied, by the "two-loop recursion".
///
/// How the step length is chosen: **no line search**, as in neural-style (Torch's optim.lbfgs
/// with its default of no line search). Before any history exists the direction is just -g and
/// its scale is unknown, so the first step is scaled to move the value that moves most by
/// `firstStepSize` (1 on the 0...255 pixel scale). (Torch takes t = min(1, 1/|g|_1) instead;
/// on a large image with small gradients, a style loss with weight 1 say, that step moves each
/// pixel by about 1e-5, the gradient it produces differs from the first by less than float32's
/// rounding, and no curvature can be measured from it: the run never starts.) The same rule holds
/// for as long as no pair has been remembered: where the loss curves downwards (a Gram matrix
/// far below its target, say), s.y is negative, there is no curvature to scale by, and a raw
/// gradient step would again be vanishingly small. Once a pair is remembered every step is the
/// full quasi-Newton step, t = learning rate (1), since H then carries the scale (H starts each
/// time as gamma = s.y / y.y times the identity).
/// A line search would cost extra loss evaluations per iteration, each a whole forward and
/// backward pass through VGG19, and the style-transfer loss is smooth enough that the full step
/// rarely overshoots; one iteration therefore costs exactly one evaluation. Pairs with
/// s.y <= 1e-10 |s| |y| (no positive curvature seen) are not remembered, which keeps H positive
/// definite. (The test is relative, unlike Torch's absolute s.y > 1e-10, so that a loss with
/// tiny gradients, such as a style loss with weight 1, still builds up its history.)
public struct LBFGS: Optimiser {
    public var historySize: Int
    public var learningRate: Float
    public var firstStepSize: Float
    var steps: [[Float]] = []          // s_k
    var gradientChanges: [[Float]] = [] // y_k
    var previousX: [Float] = [], previousGradient: [Float] = []

    public init(historySize: Int = 100, learningRate: Float = 1, firstStepSize: Float = 1) {
        self.historySize = historySize
        self.learningRate = learningRate
        self.firstStepSize = firstStepSize
    }

    static func dot(_ a: [Float], _ b: [Float]) -> Double {
        var sum = 0.0
        for i in a.indices { sum += Double(a[i]) * Double(b[i]) }
        return sum
    }

    public mutating func step(_ x: inout [Float], gradient g: [Float]) {
        if !previousX.isEmpty {
            let s = zip(x, previousX).map { $0 - $1 }, y = zip(g, previousGradient).map { $0 - $1 }
            if Self.dot(s, y) > 1e-10 * (Self.dot(s, s) * Self.dot(y, y)).squareRoot() {
                if steps.count == historySize {
                    steps.removeFirst()
                    gradientChanges.removeFirst()
                }
                steps.append(s)
                gradientChanges.append(y)
            }
        }
        // Two-loop recursion: d = -H g.
        var q = g.map(Double.init)
        var alphas = [Double](repeating: 0, count: steps.count)
        let rhos = steps.indices.map { 1 / Self.dot(gradientChanges[$0], steps[$0]) }
        for k in stride(from: steps.count - 1, through: 0, by: -1) {
            var sq = 0.0
            for i in q.indices { sq += Double(steps[k][i]) * q[i] }
            alphas[k] = rhos[k] * sq
            for i in q.indices { q[i] -= alphas[k] * Double(gradientChanges[k][i]) }
        }
        if let s = steps.last, let y = gradientChanges.last {
            let gamma = Self.dot(s, y) / Self.dot(y, y)
            for i in q.indices { q[i] *= gamma }
        }
        for k in steps.indices {
            var yr = 0.0
            for i in q.indices { yr += Double(gradientChanges[k][i]) * q[i] }
            let beta = rhos[k] * yr
            for i in q.indices { q[i] += (alphas[k] - beta) * Double(steps[k][i]) }
        }
        var t = Double(learningRate)
        if steps.isEmpty {
            let largest = g.reduce(0.0) { max($0, Double(abs($1))) }
            t = Double(firstStepSize) / max(largest, 1e-30) * Double(learningRate)
        }
        previousX = x
        previousGradient = g
        for i in x.indices { x[i] -= Float(t * q[i]) }
    }
}
