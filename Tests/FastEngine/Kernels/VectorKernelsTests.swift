import XCTest
import Tensors
@testable import Kernels

/// L-BFGS's vector arithmetic against its plain twins, over vectors of several blocks with a
/// ragged tail (the sizes of real images split between the cores), and the loss kernels too.
final class VectorKernelsTests: XCTestCase {
    let n = 3 * vectorBlockSize + 13   // four blocks, the last short and not a whole vector

    func vector(_ seed: UInt64) -> [Float] { Tensor.random(shape: [n], in: -3...3, seed: seed).data }

    func testDotMatchesThePlainLoop() {
        let (a, b) = (vector(1), vector(2))
        let fast = VectorKernels.dot(a, b), plain = VectorKernels.dotPlain(a, b)
        XCTAssertEqual(fast, plain, accuracy: 1e-9 * VectorKernels.dotPlain(a.map(abs), b.map(abs)))
        // Only the blocks' order fixes the sum: the same twice.
        XCTAssertEqual(fast, VectorKernels.dot(a, b))
    }

    func testScaleAddingMultipleThenDotMatchesThePlainLoops() {
        let (x, z) = (vector(3), vector(4))
        var fastY = vector(5), plainY = fastY
        let fast = VectorKernels.scaleAddingMultipleThenDot(0.75, &fastY, plus: -1.5, of: x, dot: z)
        let plain = VectorKernels.scaleAddingMultipleThenDotPlain(0.75, &plainY, plus: -1.5, of: x, dot: z)
        XCTAssertEqual(fastY, plainY)   // each value is computed by the same two operations
        XCTAssertEqual(fast, plain, accuracy: 1e-9 * VectorKernels.dotPlain(plainY.map(abs), z.map(abs)))
    }

    /// The two loops' last update has no dot product to take: no z, nothing read past y, and 0.
    /// At a 512-pixel image's size (reading through an empty array's address crashed there).
    func testTheLastUpdateTakesNoDot() {
        let count = 3 * 512 * 512
        let x = Tensor.random(shape: [count], in: -3...3, seed: 12).data
        var fastY = Tensor.random(shape: [count], in: -3...3, seed: 13).data, plainY = fastY
        XCTAssertEqual(VectorKernels.scaleAddingMultipleThenDot(1, &fastY, plus: 0.5, of: x, dot: nil), 0)
        XCTAssertEqual(VectorKernels.scaleAddingMultipleThenDotPlain(1, &plainY, plus: 0.5, of: x, dot: nil), 0)
        XCTAssertEqual(fastY, plainY)
    }

    func testAddMultiple() {
        let x = vector(6)
        var y = vector(7)
        let expected = zip(y, x).map { $0 + Float(-2.5) * $1 }
        VectorKernels.addMultiple(-2.5, of: x, to: &y)
        XCTAssertEqual(y, expected)
    }

    func testPairAndItsProducts() {
        let (x, x0, g, g0) = (vector(8), vector(9), vector(10), vector(11))
        let pair = VectorKernels.pair(x: x, x0: x0, g: g, g0: g0)
        let s = zip(x, x0).map { $0 - $1 }, y = zip(g, g0).map { $0 - $1 }
        XCTAssertEqual(pair.s, s)
        XCTAssertEqual(pair.y, y)
        for (fast, plain) in [(pair.sy, VectorKernels.dotPlain(s, y)), (pair.ss, VectorKernels.dotPlain(s, s)), (pair.yy, VectorKernels.dotPlain(y, y))] {
            XCTAssertEqual(fast, plain, accuracy: 1e-9 * abs(plain) + 1e-6)
        }
    }
}
