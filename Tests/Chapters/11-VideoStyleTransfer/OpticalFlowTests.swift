import XCTest
import Pictures
import ImageFiles
import TestSupport
@testable import VideoStyleTransfer

/// The project's own photo-like sample (committed, so the test runs offline): chapter 9's cat,
/// repainted, 480x319.
func committedPhoto() throws -> FloatImage {
    FloatImage(try ImageFile.read(packageFolder().appendingPathComponent("samples/styled-cat-progressive.jpg").path))
}

/// A camera panning, zooming and turning a little, by fractions of a pixel, over the photo.
func movingCamera(width: Int = 160, height: Int = 120) -> CameraMotion {
    CameraMotion(width: width, height: height, start: (240, 160), scale: 1.5, pan: (1.7, -0.6), zoom: 1.01, rotation: 0.5)
}

final class OpticalFlowTests: XCTestCase {
    /// The flow found between two frames of the moving camera is within 0.3 pixel of the true
    /// flow, on average over the pixels the consistency check trusts.
    func testHornSchunckFindsTheCameraMotion() throws {
        let photo = try committedPhoto(), camera = movingCamera()
        let (first, second) = (camera.frame(0, of: photo), camera.frame(1, of: photo))
        let estimator = HornSchunckFlow()
        let forward = estimator.flow(from: first, to: second), backward = estimator.flow(from: second, to: first)
        let truth = camera.trueFlow(from: 1, to: 0)
        let mask = reliability(forward: forward, backward: backward)
        let trusted = mask.reduce(0, +) / Float(mask.count)
        let error = backward.endPointError(against: truth, where: mask)
        print("end-point error \(error) px on \(Int(trusted * 100))% of the pixels; all pixels \(backward.endPointError(against: truth))")
        XCTAssertLessThanOrEqual(error, 0.3)
        XCTAssertGreaterThan(trusted, 0.8, "most of the frame is trusted")
    }
}

extension OpticalFlowTests {
    /// A pan of whole pixels: every frame a crop of the photo. The pixels whose match has left
    /// the other frame have no brightness equation; were they given one against the repeated
    /// edge, they would drag the flow of the flat regions beside them.
    func testAPanIsFoundUpToTheEdges() throws {
        let photo = try committedPhoto()
        let camera = CameraMotion(width: 200, height: 150, start: (200, 150), scale: 1, pan: (5, 3))
        let (first, second) = (camera.frame(0, of: photo), camera.frame(1, of: photo))
        let flow = HornSchunckFlow().flow(from: first, to: second)
        let error = flow.endPointError(against: camera.trueFlow(from: 0, to: 1))
        print("a pan of (5, 3) px: end-point error \(error) px on all pixels")
        XCTAssertLessThanOrEqual(error, 0.1)
    }
}
