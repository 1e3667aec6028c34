import XCTest
@testable import Optimisers

/// Each optimiser on problems whose minimum is known.
final class OptimisersTests: XCTestCase {
    /// f(x) = sum_i a_i (x_i - c_i)^2 / 2, badly scaled (a from 1 to 1000).
    let a: [Float] = (0..<20).map { Float(pow(1000.0, Double($0) / 19)) }
    let c: [Float] = (0..<20).map { Float($0) - 7 }
    func gradient(_ x: [Float]) -> [Float] { x.indices.map { a[$0] * (x[$0] - c[$0]) } }
    func distance(_ x: [Float]) -> Float { zip(x, c).map { abs($0 - $1) }.max()! }

    func testLBFGSSolvesABadlyScaledQuadratic() {
        var optimiser = LBFGS(historySize: 100)
        var x = [Float](repeating: 0, count: 20)
        for _ in 0..<60 { optimiser.step(&x, gradient: gradient(x)) }
        XCTAssertLessThan(distance(x), 1e-3)
    }

    /// The Rosenbrock function, the classic test of curved valleys: minimum at (1, 1).
    func testLBFGSFollowsRosenbrocksValley() {
        func grad(_ p: [Float]) -> [Float] {
            let (x, y) = (Double(p[0]), Double(p[1]))
            return [Float(-2 * (1 - x) - 400 * x * (y - x * x)), Float(200 * (y - x * x))]
        }
        var optimiser = LBFGS(historySize: 10, learningRate: 1, firstStepSize: 0.01)   // the problem's own scale
        var p: [Float] = [-1.2, 1]
        var best = Float.infinity
        for _ in 0..<2000 {
            optimiser.step(&p, gradient: grad(p))
            best = min(best, max(abs(p[0] - 1), abs(p[1] - 1)))
        }
        // Without a line search L-BFGS may wander, but it reaches the minimum's neighbourhood.
        XCTAssertLessThan(best, 0.05)
    }

    func testFirstLBFGSStepMovesTheLargestValueByTheFirstStepSize() {
        var optimiser = LBFGS(firstStepSize: 2)
        var x: [Float] = [0, 0]
        optimiser.step(&x, gradient: [3e-6, -1e-6])
        // t = 2 / 3e-6: x = -t g
        XCTAssertEqual(x[0], -2, accuracy: 1e-5)
        XCTAssertEqual(x[1], 2.0 / 3, accuracy: 1e-5)
    }

    /// f(x) = (x^2 - 100)^2 from x = 0.5: near 0 the loss curves downwards (its slope steepens
    /// as x grows), so no pair has positive curvature and each probe step doubles (1, 2, 4, 8)
    /// until one passes the minimum at 10; from there quasi-Newton steps converge.
    func testLBFGSDoublesItsProbeStepWhereTheLossCurvesDownwards() {
        func grad(_ x: [Float]) -> [Float] { [4 * x[0] * (x[0] * x[0] - 100)] }
        var optimiser = LBFGS(historySize: 10)
        var x: [Float] = [0.5]
        var visited: [Float] = []
        for _ in 0..<4 {
            optimiser.step(&x, gradient: grad(x))
            visited.append(x[0])
        }
        XCTAssertEqual(visited, [1.5, 3.5, 7.5, 15.5])
        for _ in 0..<40 { optimiser.step(&x, gradient: grad(x)) }
        XCTAssertEqual(x[0], 10, accuracy: 1e-3)
    }

    /// The same problem with the loss given: the probe that doubles to 15.5 overshoots the
    /// minimum at 10 (the loss rises from 1914 to 19670), so that point is refused and a shorter
    /// step tried from 7.5; no accepted point's loss is above the one before, and it converges.
    func testLBFGSRefusesAStepThatRaisesTheLoss() {
        func loss(_ x: [Float]) -> Double { let v = Double(x[0]) * Double(x[0]) - 100; return v * v }
        func grad(_ x: [Float]) -> [Float] { [4 * x[0] * (x[0] * x[0] - 100)] }
        var optimiser = LBFGS(historySize: 10)
        var x: [Float] = [0.5]
        var accepted: [Double] = [], refusedPoints: [Float] = []
        var evaluations = 0
        while accepted.count < 40 && evaluations < 200 {
            let point = x
            evaluations += 1
            if optimiser.step(&x, loss: loss(point), gradient: grad(point)) {
                accepted.append(loss(point))
            } else {
                refusedPoints.append(point[0])
                // A refusal moves x back towards the last accepted point, along the same direction.
                XCTAssertLessThan(abs(x[0] - 7.5), abs(point[0] - 7.5))
            }
        }
        XCTAssertEqual(refusedPoints.first, 15.5)
        XCTAssertGreaterThanOrEqual(optimiser.refusals, 1)
        for (before, after) in zip(accepted, accepted.dropFirst()) { XCTAssertLessThanOrEqual(after, before) }
        XCTAssertEqual(x[0], 10, accuracy: 1e-3)
        XCTAssertLessThan(evaluations, 60, "refusals are rare: \(optimiser.refusals)")
    }

    /// Armijo's test by hand: a point whose loss fell, but by less than 1e-4 of what the slope
    /// promised, is refused; one that fell by more is accepted.
    func testLBFGSArmijoBoundary() {
        var optimiser = LBFGS(historySize: 5, firstStepSize: 1)
        var x: [Float] = [0]
        XCTAssertTrue(optimiser.step(&x, loss: 10, gradient: [2]))   // moves to -1: t = 1/2, d = -2, slope g.d = -4
        XCTAssertEqual(x, [-1])
        // f0 + c t slope = 10 - 1e-4 * 0.5 * 4 = 9.9998: 9.99995 is above it.
        var refused = x
        XCTAssertFalse(optimiser.step(&refused, loss: 9.99995, gradient: [2]))
        XCTAssertGreaterThan(refused[0], -1, "a shorter step from 0")
        XCTAssertLessThan(refused[0], 0)
        var good: [Float] = [-1]
        var second = LBFGS(historySize: 5, firstStepSize: 1)
        var start: [Float] = [0]
        _ = second.step(&start, loss: 10, gradient: [2])
        XCTAssertTrue(second.step(&good, loss: 9.9997, gradient: [1]))
    }

    /// Pairs of a badly scaled quadratic over 70,001 values, as L-BFGS would remember them.
    static func quadraticMemory(values n: Int = 70_001, pairs: Int = 5) -> LBFGSMemory {
        func values(_ seed: Double) -> [Float] { (0..<n).map { Float(sin(Double($0) * seed + seed)) } }
        var memory = LBFGSMemory()
        for k in 0..<pairs {
            let s = values(0.37 + Double(k)), y = s.indices.map { s[$0] * (1 + Float($0 % 97)) }   // y = A s, A positive
            let sy = zip(s, y).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }, yy = y.reduce(0.0) { $0 + Double($1) * Double($1) }
            memory.remember(s: s, y: y, sy: sy, yy: yy, keeping: pairs)
        }
        return memory
    }

    /// The two-loop recursion in Float (LBFGSLoops) against the textbook's in Double
    /// (Nocedal and Wright, algorithm 7.4).
    func testTwoLoopRecursionMatchesTheTextbook() {
        let memory = Self.quadraticMemory(), n = memory.steps[0].count, pairs = memory.count
        let g = (0..<n).map { Float(sin(Double($0) * 0.011 + 0.011)) }
        let loops = LBFGSLoops().twoLoopRecursion(g, memory: memory)
        func dotD(_ a: [Double], _ b: [Float]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * Double($1.1) } }
        var q = g.map(Double.init), alphas = [Double](repeating: 0, count: pairs)
        for k in stride(from: pairs - 1, through: 0, by: -1) {
            alphas[k] = memory.rhos[k] * dotD(q, memory.steps[k])
            for i in 0..<n { q[i] -= alphas[k] * Double(memory.gradientChanges[k][i]) }
        }
        for i in 0..<n { q[i] *= memory.newestGamma }
        for k in 0..<pairs {
            let beta = memory.rhos[k] * dotD(q, memory.gradientChanges[k])
            for i in 0..<n { q[i] += (alphas[k] - beta) * Double(memory.steps[k][i]) }
        }
        let largest = q.map(abs).max()!
        let worst = zip(loops, q).map { abs(Double($0) - $1) }.max()!
        XCTAssertLessThan(worst, 1e-4 * largest)
    }

    func testAdamConverges() {
        var optimiser = Adam(learningRate: 0.5)
        var x = [Float](repeating: 0, count: 20)
        for _ in 0..<800 { optimiser.step(&x, gradient: gradient(x)) }
        XCTAssertLessThan(distance(x), 0.05)
    }

    func testAdamsFirstStepIsTheLearningRateInEachCoordinate() {
        var optimiser = Adam(learningRate: 10)
        var x: [Float] = [0, 0]
        optimiser.step(&x, gradient: [1e-3, -50])
        XCTAssertEqual(x[0], -10, accuracy: 1e-3)
        XCTAssertEqual(x[1], 10, accuracy: 1e-3)
    }

    func testGradientDescentIsXMinusLearningRateTimesGradient() {
        var optimiser = GradientDescent(learningRate: 0.1)
        var x: [Float] = [1, 2]
        optimiser.step(&x, gradient: [10, -20])
        XCTAssertEqual(x, [0, 4])
    }
}
