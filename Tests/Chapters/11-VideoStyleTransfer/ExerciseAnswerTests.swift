import XCTest
import Pictures
@testable import VideoStyleTransfer

/// The numbers chapter 11's exercises ask the reader to find: the flow of the (5, 3) pixel pan
/// of `testAPanIsFoundUpToTheEdges` with fewer sweeps, and without the pyramid.
final class ExerciseAnswerTests: XCTestCase {
    func panError(_ change: (inout HornSchunckFlow) -> Void) throws -> Double {
        let photo = try committedPhoto()
        let camera = CameraMotion(width: 200, height: 150, start: (200, 150), scale: 1, pan: (5, 3))
        var estimator = HornSchunckFlow()
        change(&estimator)
        return estimator.flow(from: camera.frame(0, of: photo), to: camera.frame(1, of: photo))
            .endPointError(against: camera.trueFlow(from: 0, to: 1))
    }

    /// Exercise 1: ten sweeps after each warp instead of a hundred leave the error several
    /// times larger, though still under a pixel: the coarse levels did most of the work.
    func testFewerSweeps() throws {
        let (full, few) = (try panError { _ in }, try panError { $0.sweeps = 10 })
        print("sweeps 100: \(full) px, sweeps 10: \(few) px")
        XCTAssertGreaterThan(few, 3 * full)
        XCTAssertLessThan(few, 1)
    }

    /// Exercise 2: one level, no pyramid: a motion of 5 pixels is far outside what the
    /// linearised equation can see, and the flow is off by more than a pixel on average.
    func testNoPyramid() throws {
        let single = try panError { $0.levels = 1 }
        print("one level: \(single) px")
        XCTAssertGreaterThan(single, 1.2)
    }
}
