import XCTest
import Pictures

final class LabelTests: XCTestCase {
    func testTextIsDrawnFromTheFont() {
        var image = FloatImage(channels: 1, height: 9, width: 20, value: 255)
        image.draw("L1", x: 1, y: 1, colour: [0])
        // "L": the left column is ink for all 7 rows, the bottom row for all 5 columns.
        for row in 1...7 { XCTAssertEqual(image[0, row, 1], 0) }
        for column in 1...5 { XCTAssertEqual(image[0, 7, column], 0) }
        XCTAssertEqual(image[0, 1, 2], 255)
        // "1" starts 6 pixels on: its top row is only the middle pixel of 3 in 0b00100.
        XCTAssertEqual(image[0, 1, 9], 0)
        XCTAssertEqual(image[0, 1, 8], 255)
        XCTAssertEqual(BitmapFont.width(of: "L1"), 11)
        XCTAssertEqual(BitmapFont.glyph("l"), BitmapFont.glyph("L"))
        XCTAssertEqual(BitmapFont.glyph("~"), BitmapFont.glyph("?"))
    }

    func testContactSheetLabelsEachCell() {
        let cells = [FloatImage(channels: 1, height: 4, width: 4, value: 0), FloatImage(channels: 1, height: 4, width: 4, value: 0)]
        let plain = ContactSheet.make(cells, columns: 2)
        let labelled = ContactSheet.make(cells, labels: ["A", "LONG LABEL"], title: "TITLE", columns: 2)
        XCTAssertEqual(plain.height, 4 + 2 * 4)
        XCTAssertGreaterThan(labelled.height, plain.height + BitmapFont.glyphHeight)
        XCTAssertGreaterThanOrEqual(labelled.width, 2 * BitmapFont.width(of: "LONG LABEL"))
        XCTAssertTrue(labelled.pixels.contains { $0 < 100 && $0 > 0 }, "label ink is dark gray")
    }
}
