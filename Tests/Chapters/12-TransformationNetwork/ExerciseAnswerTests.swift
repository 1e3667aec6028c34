import XCTest
import Tensors
@testable import TransformationNetwork

/// The answers of Notebooks/12-transformation-network.md's exercises.
final class ExerciseAnswerTests: XCTestCase {
    /// Exercise 1: the network of width W has 1620 W^2 + 636 W + 3 weights (424,899 at 16,
    /// Johnson et al.'s 1,679,235 at 32): the 3x3 convolutions between wide maps hold nearly all.
    func testTheWeightCount() {
        for width in [4, 16, 32] {
            let count = TransformationNetwork(width: width, seed: 1).parameterVector.count
            XCTAssertEqual(count, 1620 * width * width + 636 * width + 3, "width \(width)")
        }
        XCTAssertEqual(TransformationNetwork(width: 16, seed: 1).parameterVector.count, 424_899)
    }

    /// Exercise 2: a photo at half its contrast and brightened, 0.5 x + 64, is painted as the photo
    /// itself (within a small fraction of a level): the first convolution is affine in the pixels,
    /// and instance normalisation takes each map's mean and scale away. Another photo is not.
    func testContrastAndBrightnessDoNotReachThePicture() {
        var network = TransformationNetwork(width: 4, residualBlocks: 1, seed: 5)
        // Scales and shifts away from 1 and 0, as training leaves them.
        network = network.replacingParameters(network.parameters.map { tensor in
            tensor.shape.count == 1 ? Tensor(shape: tensor.shape, data: tensor.data.map { $0 + 0.3 }) : tensor
        })
        let photo = Tensor.random(shape: [3, 16, 16], in: 0...255, seed: 6)
        let paler = Tensor(shape: photo.shape, data: photo.data.map { 0.5 * $0 + 64 })
        let other = Tensor.random(shape: [3, 16, 16], in: 0...255, seed: 7)
        let painted = network.forward(photo).picture
        let largest = { (a: Tensor, b: Tensor) in zip(a.data, b.data).map { abs($0 - $1) }.max()! }
        XCTAssertLessThan(largest(network.forward(paler).picture, painted), 0.05, "the paler photo's picture, in levels of 0...255")
        XCTAssertGreaterThan(largest(network.forward(other).picture, painted), 5, "another photo's picture")
    }
}
