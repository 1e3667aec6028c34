import XCTest
import LocalReceptiveFields
import Pictures

final class LocalReceptiveFieldsTests: XCTestCase {
    func testTheArticlesExample() {
        let layer = LocalReceptiveFieldLayer(inputSide: 28, fieldSide: 5)
        XCTAssertEqual(layer.hiddenSide, 24)
        XCTAssertEqual(layer.field(row: 0, column: 0).rows, 0..<5)
        XCTAssertEqual(layer.field(row: 0, column: 1).columns, 1..<6)
        XCTAssertEqual(layer.field(row: 23, column: 23).rows, 23..<28)
        let counts = layer.counts
        XCTAssertEqual(counts.localConnections, 24 * 24 * 25)
        XCTAssertEqual(counts.sharedWeights, 26)
        XCTAssertEqual(counts.fullyConnectedWeights, 784 * 576 + 576)
    }

    func testStride() {
        let layer = LocalReceptiveFieldLayer(inputSide: 28, fieldSide: 5, stride: 2)
        XCTAssertEqual(layer.hiddenSide, 12)
        XCTAssertEqual(layer.field(row: 1, column: 2).columns, 4..<9)
    }

    func testPictureOutlinesTheField() {
        let layer = LocalReceptiveFieldLayer()
        let picture = layer.picture(of: FloatImage(channels: 1, height: 28, width: 28), row: 2, column: 3, scale: 4)
        XCTAssertEqual(picture.width, 112)
        XCTAssertEqual(picture[0, 8, 12], 230)     // the field's top-left corner is red
        XCTAssertEqual(picture[0, 0, 0], 0)        // outside it, the black input
    }
}
