import XCTest
import VGG

/// The numeric answers of the exercises at the end of Notebooks/06-vgg.md that follow from the
/// architecture alone. (Exercise 3 runs vgg-demo on the real weights: ExerciseRunTests.)
final class VGGExerciseAnswerTests: XCTestCase {
    func field(_ network: VGGArchitecture, _ layer: String) -> Int? {
        network.layerRows(size: 512).first { $0.name == layer }?.receptiveField
    }

    /// Exercise 1: in VGG16, conv4_2 sees 76 x 76 pixels and conv5_1 132 x 132 (VGG19: 84 and 156).
    func testVGG16Fields() {
        XCTAssertEqual(field(.vgg16, "conv4_2"), 76)
        XCTAssertEqual(field(.vgg16, "conv5_1"), 132)
        XCTAssertEqual(field(.vgg19, "conv4_2"), 84)
        XCTAssertEqual(field(.vgg19, "conv5_1"), 156)
    }

    /// Exercise 2: the 16 ReLU layers' maps of a 512-pixel picture hold 77,594,624 numbers, 310 MB
    /// as 4-byte floats; at 1024 pixels four times as many.
    func testWhatTheMapsHold() {
        func numbers(_ size: Int) -> Int {
            VGGArchitecture.vgg19.layerRows(size: size).filter { $0.name.hasPrefix("conv") }.reduce(0) { $0 + $1.channels * $1.size * $1.size }
        }
        XCTAssertEqual(numbers(512), 77_594_624)
        XCTAssertEqual(numbers(512) * 4 / 1_000_000, 310)
        XCTAssertEqual(numbers(1024), 4 * numbers(512))
    }
}
