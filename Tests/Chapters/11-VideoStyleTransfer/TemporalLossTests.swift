import XCTest
import Tensors
import Pictures
import GradientChecking
@testable import VideoStyleTransfer

/// The temporal loss against central differences, its value on a case worked by hand, and the
/// long-term weights.
final class TemporalLossTests: XCTestCase {
    func target(shape: [Int], seed: UInt64) -> TemporalTarget {
        let plane = shape[1] * shape[2]
        // Some pixels trusted, some not, in no pattern the channels could line up with.
        let weights = (0..<plane).map { Float(($0 * 7 + Int(seed)) % 3 == 0 ? 0 : 1) }
        return TemporalTarget(warped: Tensor.random(shape: shape, in: -50...50, seed: seed), weights: weights)
    }

    func testGradientAgainstCentralDifferences() {
        for (n, shape) in [[3, 4, 5], [3, 1, 7], [1, 3, 3]].enumerated() {
            let image = Tensor.random(shape: shape, in: -50...50, seed: UInt64(10 + n))
            let term = TemporalConsistency(weight: 7, targets: [target(shape: shape, seed: UInt64(n)), target(shape: shape, seed: UInt64(n + 5))])
            // Quadratic: a central difference is exact up to rounding at any step.
            assertGradient(checkGradient(input: image.data, epsilon: 1, forward: { [Float(term.evaluate(Tensor(shape: shape, data: $0)).loss)] },
                                         backward: { d in term.evaluate(image).gradient.data.map { $0 * d[0] } }), "temporal loss \(shape)")
        }
    }

    func testValueCountsOnlyTrustedPixelsAndDividesByEveryValue() {
        // Two pixels, three channels: the second pixel untrusted. D = 6.
        let image = Tensor(shape: [3, 1, 2], data: [1, 9, 2, 9, 3, 9])
        let target = TemporalTarget(warped: Tensor(shape: [3, 1, 2], value: 0), weights: [1, 0])
        XCTAssertEqual(temporalLossForward(image, target: target), (1 + 4 + 9) / 6.0, accuracy: 1e-12)
        XCTAssertEqual(temporalLossBackward(image, target: target).data, [2.0 / 6, 0, 4.0 / 6, 0, 6.0 / 6, 0].map { Float($0) })
    }

    func testLongTermWeightsKeepTheNearestReliableFrame() {
        // Pixel 0 seen in every earlier frame: only the nearest counts. Pixel 1 hidden one frame
        // back, seen two back. Pixel 2 seen only four back. Pixel 3 never.
        let masks: [[Float]] = [[1, 0, 0, 0], [1, 1, 0, 0], [1, 1, 1, 0]]
        XCTAssertEqual(longTermWeights(masks), [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]])
    }
}

/// Warping and the consistency check on flows made by hand.
final class ConsistencyCheckTests: XCTestCase {
    func testWarpByAWholePixelShiftMovesThePicture() {
        let picture = FloatImageFixture.ramp(width: 6, height: 4)
        var flow = FlowField(width: 6, height: 4)
        flow.u = [Float](repeating: 1, count: 24)
        let moved = warp(picture, by: flow)
        XCTAssertEqual(moved[0, 2, 3], picture[0, 2, 4])
        XCTAssertEqual(moved[0, 2, 5], picture[0, 2, 5], "the last column repeats the edge")
        // Half a pixel: the mean of the two neighbours.
        flow.u = [Float](repeating: 0.5, count: 24)
        XCTAssertEqual(warp(picture, by: flow)[0, 1, 2], (picture[0, 1, 2] + picture[0, 1, 3]) / 2, accuracy: 1e-5)
    }

    func testConsistentFlowsAreTrustedAndDisagreeingOnesAreNot() {
        let (width, height) = (12, 10)
        var forward = FlowField(width: width, height: height), backward = FlowField(width: width, height: height)
        forward.u = [Float](repeating: 2, count: width * height)
        backward.u = [Float](repeating: -2, count: width * height)
        var mask = reliability(forward: forward, backward: backward)
        // The two leftmost columns point outside the previous frame; the rest agree.
        for y in 0..<height {
            for x in 0..<width { XCTAssertEqual(mask[y * width + x], x < 2 ? 0 : 1, "pixel \(x),\(y)") }
        }
        // The backward flow no longer returns by more than the allowance of 0.5 px^2.
        backward.v = [Float](repeating: 0.8, count: width * height)
        mask = reliability(forward: forward, backward: backward)
        XCTAssertEqual(mask.reduce(0, +), 0)
        // Within the allowance, trusted again.
        backward.v = [Float](repeating: 0.6, count: width * height)
        XCTAssertEqual(reliability(forward: forward, backward: backward)[5 * width + 6], 1)
    }

    func testMotionBoundaryIsNotTrusted() {
        // The left half still, the right half moving by 3 pixels: both flows agree everywhere,
        // but the backward flow jumps between columns 5 and 6.
        let (width, height) = (12, 6)
        var forward = FlowField(width: width, height: height), backward = FlowField(width: width, height: height)
        for y in 0..<height {
            for x in 6..<width {
                forward.u[y * width + x] = 3
                backward.u[y * width + x] = -3
            }
        }
        let mask = reliability(forward: forward, backward: backward)
        for x in [5, 6] { XCTAssertEqual(mask[3 * width + x], 0, "column \(x) is on the boundary") }
        XCTAssertEqual(mask[3 * width + 2], 1)
    }
}

enum FloatImageFixture {
    /// One channel whose value is 10 x + y.
    static func ramp(width: Int, height: Int) -> Pictures.FloatImage {
        var picture = Pictures.FloatImage(channels: 1, height: height, width: width)
        for y in 0..<height { for x in 0..<width { picture[0, y, x] = Float(10 * x + y) } }
        return picture
    }
}
