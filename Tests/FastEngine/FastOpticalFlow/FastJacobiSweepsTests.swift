import XCTest
import Pictures
import ImageFiles
import TestSupport
import VideoStyleTransfer
import FastOpticalFlow

/// The engine's sweeps against the chapter's, value for value: on rows wide enough for whole
/// vectors and a remainder, on narrow rows that take the plain path alone, and through a whole
/// coarse-to-fine flow between two frames of a photo.
final class FastJacobiSweepsTests: XCTestCase {
    func coefficients(width: Int, height: Int, seed: UInt64) -> (u: [Float], v: [Float], ix: [Float], iy: [Float], b: [Float]) {
        var state = seed
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int32(truncatingIfNeeded: state >> 33)) / Float(Int32.max)
        }
        let n = width * height
        return ((0..<n).map { _ in next() }, (0..<n).map { _ in next() }, (0..<n).map { _ in 0.1 * next() },
                (0..<n).map { _ in 0.1 * next() }, (0..<n).map { _ in 0.05 * next() })
    }

    func testSweepsMatchThePlainOnesBitForBit() {
        // 37: four vectors and four pixels left over; 9: too narrow for a vector; 8 x 1: one row.
        for (width, height) in [(37, 23), (9, 5), (8, 1), (200, 3)] {
            let c = coefficients(width: width, height: height, seed: UInt64(width * 1000 + height))
            var (plainU, plainV) = (c.u, c.v), (fastU, fastV) = (c.u, c.v)
            JacobiSweeps().solve(u: &plainU, v: &plainV, ix: c.ix, iy: c.iy, b: c.b, width: width, height: height,
                                           alphaSquared: 0.0016, sweeps: 7)
            FastJacobiSweeps().solve(u: &fastU, v: &fastV, ix: c.ix, iy: c.iy, b: c.b, width: width, height: height,
                                          alphaSquared: 0.0016, sweeps: 7)
            XCTAssertEqual(fastU, plainU, "u at \(width)x\(height)")
            XCTAssertEqual(fastV, plainV, "v at \(width)x\(height)")
            XCTAssertNotEqual(plainU, c.u, "the sweeps moved the flow")
        }
    }

    func testWholeFlowMatchesTheChapters() throws {
        let photo = FloatImage(try ImageFile.read(packageFolder().appendingPathComponent("samples/styled-cat-progressive.jpg").path))
        let camera = CameraMotion(width: 203, height: 141, start: (240, 160), scale: 1.2, pan: (-2.3, 1.1), zoom: 0.99, rotation: -0.7)
        let (first, second) = (camera.frame(0, of: photo), camera.frame(1, of: photo))
        let plain = HornSchunckFlow().flow(from: first, to: second)
        let fast = HornSchunckFlow.fast.flow(from: first, to: second)
        XCTAssertEqual(fast, plain)
        XCTAssertGreaterThan(plain.u.map(abs).max()!, 1, "the flow found the motion")
    }
}
