import XCTest
import Tensors
@testable import Kernels
@testable import Optimisers
import FastOptimisers

/// L-BFGS's fused vector operations (FastLBFGSLoops) against the chapter's plain loops
/// (LBFGSLoops), over vectors of several blocks with a ragged tail (the sizes of real images
/// split between the cores); then whole runs of the optimiser with each.
final class FastLBFGSLoopsTests: XCTestCase {
    let n = 3 * vectorBlockSize + 13   // four blocks, the last short and not a whole vector
    let (fast, plain) = (FastLBFGSLoops(), LBFGSLoops())

    func vector(_ seed: UInt64) -> [Float] { Tensor.random(shape: [n], in: -3...3, seed: seed).data }

    func testDotMatchesThePlainLoop() {
        let (a, b) = (vector(1), vector(2))
        XCTAssertEqual(fast.dot(a, b), plain.dot(a, b), accuracy: 1e-9 * plain.dot(a.map(abs), b.map(abs)))
    }

    func testScaleAddingMultipleThenDotIsAnUpdateAndADot() {
        let (x, z) = (vector(3), vector(4))
        var fastY = vector(5), plainY = fastY
        let product = VectorKernels.scaleAddingMultipleThenDot(0.75, &fastY, plus: -1.5, of: x, dot: z)
        for i in plainY.indices { plainY[i] = Float(0.75) * plainY[i] + Float(-1.5) * x[i] }
        XCTAssertEqual(fastY, plainY)   // each value is computed by the same two operations
        XCTAssertEqual(product, plain.dot(plainY, z), accuracy: 1e-9 * plain.dot(plainY.map(abs), z.map(abs)))
    }

    /// The two loops' last update has no dot product to take: no z, nothing read past y, and 0.
    /// At a 512-pixel image's size (reading through an empty array's address crashed there).
    func testTheLastUpdateTakesNoDot() {
        let count = 3 * 512 * 512
        let x = Tensor.random(shape: [count], in: -3...3, seed: 12).data
        var fastY = Tensor.random(shape: [count], in: -3...3, seed: 13).data, plainY = fastY
        XCTAssertEqual(VectorKernels.scaleAddingMultipleThenDot(1, &fastY, plus: 0.5, of: x, dot: nil), 0)
        plain.addMultiple(0.5, of: x, to: &plainY)
        XCTAssertEqual(fastY, plainY)
    }

    func testAddMultiple() {
        let x = vector(6)
        var fastY = vector(7), plainY = fastY
        fast.addMultiple(-2.5, of: x, to: &fastY)
        plain.addMultiple(-2.5, of: x, to: &plainY)
        XCTAssertEqual(fastY, plainY)
    }

    func testPairAndItsProducts() {
        let (x, x0, g, g0) = (vector(8), vector(9), vector(10), vector(11))
        let (a, b) = (fast.pair(x: x, x0: x0, g: g, g0: g0), plain.pair(x: x, x0: x0, g: g, g0: g0))
        XCTAssertEqual(a.s, b.s)
        XCTAssertEqual(a.y, b.y)
        for (f, p) in [(a.sy, b.sy), (a.ss, b.ss), (a.yy, b.yy)] { XCTAssertEqual(f, p, accuracy: 1e-9 * abs(p) + 1e-6) }
    }

    /// The fused two-loop recursion (each update in one pass with the next dot product, gamma
    /// folded into the second loop) against the chapter's, on a badly scaled quadratic's pairs.
    func testFusedTwoLoopRecursionMatchesThePlainOne() {
        let memory = OptimiserPairs.quadraticMemory()
        let g = (0..<memory.steps[0].count).map { Float(sin(Double($0) * 0.011 + 0.011)) }
        let (fused, loops) = (fast.twoLoopRecursion(g, memory: memory), plain.twoLoopRecursion(g, memory: memory))
        let largest = loops.map(abs).max()!
        XCTAssertLessThan(zip(fused, loops).map { abs($0 - $1) }.max()!, 1e-4 * largest)
        XCTAssertEqual(fast.twoLoopRecursion(g, memory: LBFGSMemory()), g, "no pairs: the gradient itself")
    }

    /// Thirty steps of L-BFGS on a badly scaled quadratic over several blocks, with the fused
    /// operations and with the plain ones: the same points, up to rounding.
    func testAWholeDescentFollowsThePlainOne() {
        let scales = (0..<n).map { 1 + Float($0 % 53) }
        func gradient(_ x: [Float]) -> [Float] { zip(scales, x).map { $0 * ($1 - 1) } }
        func loss(_ x: [Float]) -> Double { zip(scales, x).reduce(0) { $0 + 0.5 * Double($1.0) * Double($1.1 - 1) * Double($1.1 - 1) } }
        var fastOptimiser = LBFGS(historySize: 5, arithmetic: fast), plainOptimiser = LBFGS(historySize: 5)
        var (a, b) = (vector(14), vector(14))
        for _ in 0..<30 {
            _ = fastOptimiser.step(&a, loss: loss(a), gradient: gradient(a))
            _ = plainOptimiser.step(&b, loss: loss(b), gradient: gradient(b))
        }
        XCTAssertLessThan(loss(b), 1e-3 * loss(vector(14)), "the plain descent converges")
        XCTAssertLessThan(zip(a, b).map { abs($0 - $1) }.max()!, 1e-3)
    }
}

/// The box's operations (chapter 6b's BoxConstraint.swift) on the engine's kernels against the
/// chapter's loops, at a picture's size whose channel planes end inside blocks and inside vectors
/// of eight (3 x 300 x 301: runs of 90,300 values over three blocks), with values on the bounds,
/// beyond them, infinite and NaN; then a whole bounded descent with each.
final class FastBoxTests: XCTestCase {
    let (fast, plain) = (FastLBFGSLoops(), LBFGSLoops())
    let box = Box(lower: [-103.939, -116.779, -123.68], upper: [151.061, 138.221, 131.32], runLength: 300 * 301)

    /// Values from -400 to 400, with every tenth exactly on a bound and a few not finite.
    func values(_ seed: UInt64) -> [Float] {
        var x = Tensor.random(shape: [box.count], in: -400...400, seed: seed).data
        for i in stride(from: 0, to: x.count, by: 10) { x[i] = i % 20 == 0 ? box.lower[i / box.runLength] : box.upper[i / box.runLength] }
        for (i, v) in [(5, Float.nan), (90_299, .infinity), (90_300, -.infinity), (200_001, .nan)] { x[i] = v }
        return x
    }

    func testProjectionIsTheChaptersBitForBit() {
        var (a, b) = (values(1), values(1))
        fast.project(&a, into: box)
        plain.project(&b, into: box)
        XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern))
        XCTAssertTrue(a.enumerated().allSatisfy { $0.element.isNaN || ($0.element >= box.lower[$0.offset / box.runLength] && $0.element <= box.upper[$0.offset / box.runLength]) })
    }

    func testHeldValuesAreTheChapters() {
        var x = values(2)
        plain.project(&x, into: box)
        let g = Tensor.random(shape: [box.count], in: -1...1, seed: 3).data
        var (a, b) = (values(4), values(4))
        fast.zeroHeld(&a, at: x, gradient: g, in: box)
        plain.zeroHeld(&b, at: x, gradient: g, in: box)
        XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern))
        let zeroed = zip(a, values(4)).filter { $0.0 != $0.1 && !$0.1.isNaN }.count
        XCTAssertGreaterThan(zeroed, box.count / 20, "about half the values on a bound are held")
    }

    func testPromisedDecreaseMatchesThePlainLoop() {
        let (g, x0, x) = (Tensor.random(shape: [box.count], in: -1...1, seed: 5).data,
                          Tensor.random(shape: [box.count], in: -50...50, seed: 6).data, Tensor.random(shape: [box.count], in: -50...50, seed: 7).data)
        let expected = plain.dot(g, minus: x0, plus: x)
        XCTAssertEqual(fast.dot(g, minus: x0, plus: x), expected, accuracy: 1e-9 * plain.dot(g.map(abs), minus: x0.map { -abs($0) }, plus: x.map(abs)))
        XCTAssertEqual(fast.dot(g, minus: x0, plus: x), fast.dot(g, minus: x0, plus: x), "the blocks' order alone fixes the sum")
    }

    /// Forty steps of bounded L-BFGS on a quadratic whose minimum lies half outside the box, on
    /// the fast and the plain operations: every point in the box, and the same points up to rounding.
    func testAWholeBoundedDescentFollowsThePlainOne() {
        let n = box.count
        let scales = (0..<n).map { 1 + Float($0 % 53) }, centre = Tensor.random(shape: [n], in: -250...250, seed: 8).data
        func gradient(_ x: [Float]) -> [Float] { (0..<n).map { scales[$0] * (x[$0] - centre[$0]) } }
        func loss(_ x: [Float]) -> Double { (0..<n).reduce(0) { $0 + 0.5 * Double(scales[$1]) * pow(Double(x[$1] - centre[$1]), 2) } }
        var fastOptimiser = LBFGS(historySize: 5, arithmetic: fast, box: box), plainOptimiser = LBFGS(historySize: 5, box: box)
        var a = [Float](repeating: 0, count: n), b = a
        for _ in 0..<40 {
            XCTAssertTrue(box.contains(a) && box.contains(b))
            _ = fastOptimiser.step(&a, loss: loss(a), gradient: gradient(a))
            _ = plainOptimiser.step(&b, loss: loss(b), gradient: gradient(b))
        }
        var solution = centre
        box.project(&solution)
        XCTAssertLessThan(zip(b, solution).map { abs($0 - $1) }.max()!, 1, "the plain descent nears the clamped centre")
        XCTAssertLessThan(zip(a, b).map { abs($0 - $1) }.max()!, 1e-2)
    }
}

/// Five pairs s, y = A s with A diagonal and positive (1 to 97): a badly scaled quadratic's.
enum OptimiserPairs {
    static func quadraticMemory(values n: Int = 70_001, pairs: Int = 5) -> LBFGSMemory {
        var memory = LBFGSMemory()
        let plain = LBFGSLoops()
        for k in 0..<pairs {
            let s = Tensor.random(shape: [n], in: -1...1, seed: 40 + UInt64(k)).data
            let y = s.indices.map { s[$0] * (1 + Float($0 % 97)) }
            memory.remember(s: s, y: y, sy: plain.dot(s, y), yy: plain.dot(y, y), keeping: pairs)
        }
        return memory
    }
}
