import XCTest
import Tensors
import VGG
@testable import Optimisers

/// The box (BoxConstraint.swift) and the three optimisers inside it, on problems whose
/// constrained minimum is known and lies on the box's boundary, where the free minimum does not.
final class BoxConstraintTests: XCTestCase {
    // ---- The box itself.

    func testProjectionClampsEachValueIntoItsRun() {
        let box = Box(lower: [0, -1], upper: [1, 2], runLength: 3)
        var x: [Float] = [-0.5, 0.5, 7, -3, 1.5, 2.5]
        box.project(&x)
        XCTAssertEqual(x, [0, 0.5, 1, -1, 1.5, 2])
        XCTAssertTrue(box.contains(x))
        XCTAssertFalse(box.contains([0, 0, 0, 0, 0, 2.01]))
    }

    /// Caffe's box: black and white, minus the mean of each channel, in B, G, R order.
    func testAPicturesBoxIsBlackToWhiteAfterPreprocessing() {
        let box = Box.pixels(.caffe, height: 2, width: 3)
        XCTAssertEqual(box.runLength, 6)
        XCTAssertEqual(box.lower, Preprocessing.caffeMeanBGR.map { -$0 })
        XCTAssertEqual(box.upper, Preprocessing.caffeMeanBGR.map { 255 - $0 })
        // A picture of every value 0...255 lies inside; one value above white does not.
        var rgb = Tensor(shape: [3, 2, 3], data: (0..<18).map { Float($0 * 15) })
        XCTAssertTrue(box.contains(Preprocessing.caffe.apply(rgb).data))
        rgb.data[4] = 256
        XCTAssertFalse(box.contains(Preprocessing.caffe.apply(rgb).data))
        let torchvision = Box.pixels(.torchvision, height: 1, width: 1)
        XCTAssertEqual(torchvision.lower[0], -0.485 / 0.229, accuracy: 1e-6)
        XCTAssertEqual(torchvision.upper[2], (1 - 0.406) / 0.225, accuracy: 1e-6)
    }

    /// Held: on a bound with the gradient pointing out. On a bound with it pointing in, or inside, free.
    func testHeldValuesAreThoseOnABoundPushedOutwards() {
        let box = Box(lower: [0, 0, 0, 0, 0], upper: [1, 1, 1, 1, 1])
        let x: [Float] = [0, 0, 1, 1, 0.5]
        let g: [Float] = [2, -2, -2, 2, 2]
        var v: [Float] = [1, 2, 3, 4, 5]
        box.zeroHeld(&v, at: x, gradient: g)
        XCTAssertEqual(v, [0, 2, 0, 4, 5])
    }

    // ---- A separable quadratic: its constrained minimum is the free one clamped.

    /// f(x) = sum a_i (x_i - c_i)^2 / 2 with c half outside [-1, 1]: the minimum in the box is c clamped.
    let a: [Float] = (0..<12).map { 1 + Float($0) }
    let c: [Float] = (0..<12).map { Float($0) / 2 - 3 }       // -3 ... 2.5
    let unitBox = Box(lower: [Float](repeating: -1, count: 12), upper: [Float](repeating: 1, count: 12))
    func separableGradient(_ x: [Float]) -> [Float] { x.indices.map { a[$0] * (x[$0] - c[$0]) } }
    var clampedC: [Float] { c.map { min(1, max(-1, $0)) } }

    /// `steps` steps of `optimiser` from 0 on the separable quadratic: where they end, and how
    /// many left the box.
    func descendTheSeparableQuadratic(_ optimiser: inout some Optimiser, steps: Int) -> (x: [Float], outside: Int) {
        var x = [Float](repeating: 0, count: 12)
        var outside = 0
        for _ in 0..<steps {
            optimiser.step(&x, gradient: separableGradient(x))
            if !unitBox.contains(x) { outside += 1 }
        }
        return (x, outside)
    }

    func testProjectedGradientDescentFindsTheClampedMinimumAndNeverLeavesTheBox() {
        var optimiser = GradientDescent(learningRate: 0.05, box: unitBox)
        let (x, outside) = descendTheSeparableQuadratic(&optimiser, steps: 300)
        XCTAssertEqual(outside, 0, "steps that left the box")
        for i in x.indices { XCTAssertEqual(x[i], clampedC[i], accuracy: 1e-4) }
    }

    func testProjectedAdamFindsTheClampedMinimumAndNeverLeavesTheBox() {
        var optimiser = Adam(learningRate: 0.05, box: unitBox)
        let (x, outside) = descendTheSeparableQuadratic(&optimiser, steps: 1500)
        XCTAssertEqual(outside, 0, "steps that left the box")
        for i in x.indices { XCTAssertEqual(x[i], clampedC[i], accuracy: 0.02) }
        // The nine values whose free minimum lies on or outside a bound end exactly on it.
        XCTAssertEqual(x.indices.filter { abs(x[$0]) == 1 }.count, 9)
    }

    // ---- A coupled quadratic, where clamping the free minimum is not the answer.

    /// f(x) = x^T A x / 2 + b^T x, A positive definite and far from diagonal, made so that x*
    /// satisfies the conditions of Karush, Kuhn and Tucker in [-1, 1]^n: ten values on the lower
    /// bound (gradient there > 0), ten on the upper (< 0), ten inside (0). A convex problem: x* is
    /// its only minimum in the box.
    struct CoupledQuadratic {
        let n = 30
        var A: [[Double]] = [], b: [Double] = [], solution: [Double] = []
        init() {
            let random = Tensor.random(shape: [n * n], in: -1...1, seed: 7).data
            let inside = Tensor.random(shape: [n], in: -0.6...0.6, seed: 8).data
            A = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
            for i in 0..<n {
                for j in 0..<n {
                    var sum: Double = i == j ? 0.5 : 0
                    for k in 0..<n { sum += Double(random[k * n + i]) * Double(random[k * n + j]) / 3 }
                    A[i][j] = sum
                }
            }
            var gradientAtSolution = [Double](repeating: 0, count: n)
            for i in 0..<n {
                if i < 10 {
                    solution.append(-1)
                    gradientAtSolution[i] = 0.5 + Double(i) / 10
                } else if i < 20 {
                    solution.append(1)
                    gradientAtSolution[i] = -0.5 - Double(i - 10) / 10
                } else {
                    solution.append(Double(inside[i]))
                }
            }
            b = (0..<n).map { i in gradientAtSolution[i] - product(i, solution) }
        }
        /// (A v)_i.
        func product(_ i: Int, _ v: [Double]) -> Double {
            var sum = 0.0
            for j in 0..<n { sum += A[i][j] * v[j] }
            return sum
        }
        func loss(_ x: [Float]) -> Double {
            let v = x.map(Double.init)
            var sum = 0.0
            for i in 0..<n { sum += v[i] * (0.5 * product(i, v) + b[i]) }
            return sum
        }
        func gradient(_ x: [Float]) -> [Float] {
            let v = x.map(Double.init)
            return (0..<n).map { Float(product($0, v) + b[$0]) }
        }
        var box: Box { Box(lower: [Float](repeating: -1, count: n), upper: [Float](repeating: 1, count: n)) }
        func distance(_ x: [Float]) -> Double { zip(x, solution).map { abs(Double($0) - $1) }.max()! }
    }

    func testTheCoupledQuadraticsFreeMinimumLiesOutsideTheBox() {
        // Clamping the free minimum would not do: it lies far outside, and clamped it is not x*.
        let problem = CoupledQuadratic()
        var optimiser = LBFGS(historySize: 30, firstStepSize: 0.1)
        var x = [Float](repeating: 0, count: problem.n)
        for _ in 0..<300 { _ = optimiser.step(&x, loss: problem.loss(x), gradient: problem.gradient(x)) }
        XCTAssertFalse(problem.box.contains(x))
        var clamped = x
        problem.box.project(&clamped)
        XCTAssertGreaterThan(problem.distance(clamped), 0.1)
    }

    /// Bounded L-BFGS, as the descent loop drives it (refused points retried), finds x* within
    /// 40 evaluations (Float's precision after about 25): twenty values on their bounds, exactly,
    /// and ten inside. Every point it asks about lies in the box, and no accepted loss is above
    /// the one before.
    func testBoundedLBFGSFindsTheMinimumOnTheBoundary() {
        let problem = CoupledQuadratic()
        var optimiser = LBFGS(historySize: 10, firstStepSize: 0.1, box: problem.box)
        var x = [Float](repeating: 0, count: problem.n)
        var accepted: [Double] = []
        var outside = 0
        for _ in 0..<40 {
            if !problem.box.contains(x) { outside += 1 }
            let f = problem.loss(x)
            if optimiser.step(&x, loss: f, gradient: problem.gradient(x)) { accepted.append(f) }
        }
        XCTAssertEqual(outside, 0, "points evaluated outside the box")
        XCTAssertLessThan(problem.distance(x), 1e-5)
        XCTAssertEqual(x[..<10].filter { $0 == -1 }.count, 10, "the lower bound's values sit on it: \(x[..<10])")
        XCTAssertEqual(x[10..<20].filter { $0 == 1 }.count, 10, "the upper bound's values sit on it: \(x[10..<20])")
        for (before, after) in zip(accepted, accepted.dropFirst()) { XCTAssertLessThanOrEqual(after, before + 1e-9 * abs(before)) }
        XCTAssertGreaterThanOrEqual(accepted.count, 36, "refusals are rare: \(optimiser.refusals)")
    }

    /// Why L-BFGS needs more than a clamp: the free L-BFGS with every point clamped into the box
    /// after its step (its pairs still the steps actually taken) is far from x* after the same 40
    /// evaluations, because the held values keep steering the direction of the free ones.
    func testAClampAfterTheFreeStepIsNotEnough() {
        let problem = CoupledQuadratic()
        var optimiser = LBFGS(historySize: 10, firstStepSize: 0.1)
        var x = [Float](repeating: 0, count: problem.n)
        for _ in 0..<40 {
            _ = optimiser.step(&x, loss: problem.loss(x), gradient: problem.gradient(x))
            problem.box.project(&x)
        }
        XCTAssertGreaterThan(problem.distance(x), 1e-2)
    }

    /// The first bounded step, before any pair is known: the held value does not move, and the
    /// step's length is set by the largest *free* gradient (the held one's, 100, would make it tiny).
    func testTheFirstBoundedStepMovesOnlyFreeValues() {
        var optimiser = LBFGS(firstStepSize: 0.5, box: Box(lower: [0, 0], upper: [1, 1]))
        var x: [Float] = [0, 0.75]
        optimiser.step(&x, gradient: [100, 2])
        XCTAssertEqual(x, [0, 0.25])
    }

    /// With a pair remembered whose H couples the two values, H applied to the free gradient
    /// would move the held value off its bound, uphill (its gradient points out): the held
    /// entries of the direction are zeroed, so it stays.
    func testAHeldValueStaysPutWhenTheCurvatureCouplesIt() {
        var optimiser = LBFGS(historySize: 5, box: Box(lower: [0, 0], upper: [1, 1]))
        let s: [Float] = [1, -1], y: [Float] = [0.5, -2]
        optimiser.memory.remember(s: s, y: y, sy: 2.5, yy: 4.25, keeping: 5)
        let free: [Float] = [0, 1]
        let q = LBFGSLoops().twoLoopRecursion(free, memory: optimiser.memory)
        XCTAssertLessThan(q[0], 0, "H free would raise the held value")
        var x: [Float] = [0, 0.5]
        _ = optimiser.step(&x, loss: 1, gradient: [3, 1])
        XCTAssertEqual(x[0], 0)
        XCTAssertLessThan(x[1], 0.5)
    }

    /// Armijo's test along the projected path: the promise is g0 . (x - x0) for the step taken,
    /// here 3 * (0 - 0.5) = -1.5 though the straight step -t q went twice as far.
    func testArmijoMeasuresTheProjectedStep() {
        var optimiser = LBFGS(firstStepSize: 1, box: Box(lower: [0], upper: [1]))
        var x: [Float] = [0.5]
        XCTAssertTrue(optimiser.step(&x, loss: 10, gradient: [3]))
        XCTAssertEqual(x, [0], "the probe of length 1 stops on the bound")
        // f0 + c g0.(x - x0) = 10 - 1e-4 * 1.5 = 9.99985: 9.9999 is above it and refused.
        var refused = x
        XCTAssertFalse(optimiser.step(&refused, loss: 9.9999, gradient: [3]))
        XCTAssertTrue(refused[0] >= 0 && refused[0] < 0.5, "a shorter step from 0.5, in the box: \(refused)")
        // 9.9998 passes (it would not against the straight step's promise, 10 - 1e-4 * 3 = 9.9997).
        var good = x
        var second = LBFGS(firstStepSize: 1, box: Box(lower: [0], upper: [1]))
        var start: [Float] = [0.5]
        _ = second.step(&start, loss: 10, gradient: [3])
        XCTAssertTrue(second.step(&good, loss: 9.9998, gradient: [3]))
    }

    /// The loop starts from the image projected into the optimiser's box.
    func testDescendStartsInsideTheBox() {
        var optimiser = GradientDescent(learningRate: 0, box: Box(lower: [0], upper: [1], runLength: 4))
        var seen: [[Float]] = []
        let result = descend(Tensor(shape: [4], data: [-2, 0.5, 3, 1]), iterations: 2, optimiser: &optimiser) { image in
            seen.append(image.data)
            return (LossParts(content: 1), Tensor(shape: [4], data: [1, 1, 1, 1]))
        }
        XCTAssertEqual(seen.first, [0, 0.5, 1, 1])
        XCTAssertEqual(result.image.data, [0, 0.5, 1, 1])
    }
}
