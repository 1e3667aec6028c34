import XCTest
import VGG

/// Exercise 1 of Notebooks/08-style-representation.md: the sizes of the two representations.
/// (Exercise 2 runs style-demo: ExerciseRunTests.)
final class StyleRepresentationExerciseAnswerTests: XCTestCase {
    func testTheStyleRepresentationIsASummary() {
        let rows = VGGArchitecture.vgg19.layerRows(size: 512)
        func row(_ name: String) -> VGGLayerRow { rows.first { $0.name == name }! }
        let gramNumbers = ["conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1"].map { row($0).channels * row($0).channels }.reduce(0, +)
        XCTAssertEqual(gramNumbers, 610_304)
        let content = row("conv4_2")
        XCTAssertEqual(content.channels * content.size * content.size, 2_097_152)
        let sameAt1024 = ["conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1"].map { name in
            VGGArchitecture.vgg19.layerRows(size: 1024).first { $0.name == name }!.channels
        }.map { $0 * $0 }.reduce(0, +)
        XCTAssertEqual(sameAt1024, gramNumbers)
    }
}
