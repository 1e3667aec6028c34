import XCTest
import TestSupport
import VGG

/// Chapter 6's layer table is `layerTable(size: 512)` as it is, and its receptive fields grow as
/// the rule says: by hand for the first layers, and the rest as generated.
final class LayerTableTests: XCTestCase {
    func testReceptiveFieldsByHand() {
        let rows = VGGArchitecture.vgg19.layerRows(size: 512)
        let byName = Dictionary(uniqueKeysWithValues: rows.map { ($0.name, $0) })
        XCTAssertEqual(byName["conv1_1"]?.receptiveField, 3)     // one 3x3 window
        XCTAssertEqual(byName["conv1_2"]?.receptiveField, 5)     // two of them, one pixel apart
        XCTAssertEqual(byName["pool1"]?.receptiveField, 6)       // a 2x2 window of those
        XCTAssertEqual(byName["conv2_1"]?.receptiveField, 10)    // now 2 pixels apart
        XCTAssertEqual(byName["conv5_1"]?.size, 32)
        XCTAssertEqual(byName["conv5_1"]?.channels, 512)
        XCTAssertEqual(rows.count, 16 + 5)
    }

    func testChapterSixShowsTheGeneratedTable() throws {
        let notebook = packageFolder().appendingPathComponent("Notebooks/06-vgg.md")
        let text = try String(contentsOf: notebook, encoding: .utf8)
        guard let start = text.range(of: "<!-- layer-table: vgg19 512 -->\n"), let end = text.range(of: "<!-- end layer-table -->") else {
            return XCTFail("Notebooks/06-vgg.md has no layer table between its markers")
        }
        XCTAssertEqual(String(text[start.upperBound..<end.lowerBound]), VGGArchitecture.vgg19.layerTable(size: 512))
    }
}
