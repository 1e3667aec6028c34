import XCTest
import LocalReceptiveFields

/// The numeric answers of the exercises at the end of Notebooks/03-local-receptive-fields.md.
final class LocalReceptiveFieldsExerciseAnswerTests: XCTestCase {
    /// Exercise 1: a stride of 2 gives a 12x12 layer and 3,600 connections, and the fields
    /// (the last covers rows 22...26) never reach row or column 27.
    func testStrideTwo() {
        let layer = LocalReceptiveFieldLayer(inputSide: 28, fieldSide: 5, stride: 2)
        XCTAssertEqual(layer.hiddenSide, 12)
        XCTAssertEqual(layer.counts.localConnections, 3_600)
        XCTAssertEqual(layer.field(row: 11, column: 11).rows, 22..<27)
        let seen = (0..<12).reduce(into: Set<Int>()) { $0.formUnion(layer.field(row: $1, column: 0).rows) }
        XCTAssertEqual(seen, Set(0..<27))
    }

    /// Exercise 2: 3x3 fields give 26x26 neurons and 6,084 connections; 9x9 fields 20x20 and 32,400.
    func testFieldSize() {
        let small = LocalReceptiveFieldLayer(inputSide: 28, fieldSide: 3), large = LocalReceptiveFieldLayer(inputSide: 28, fieldSide: 9)
        XCTAssertEqual(small.hiddenSide, 26)
        XCTAssertEqual(small.counts.localConnections, 6_084)
        XCTAssertEqual(large.hiddenSide, 20)
        XCTAssertEqual(large.counts.localConnections, 32_400)
    }

    /// Exercise 3: a second layer of 5x5 fields on the 24x24 layer is 20x20, and each of its
    /// neurons sees a 9x9 window of the input: fields grow with depth.
    func testStackedFields() {
        let first = LocalReceptiveFieldLayer(inputSide: 28, fieldSide: 5)
        let second = LocalReceptiveFieldLayer(inputSide: first.hiddenSide, fieldSide: 5)
        XCTAssertEqual(second.hiddenSide, 20)
        var rows = Set<Int>(), columns = Set<Int>()
        let middle = second.field(row: 0, column: 0)
        for j in middle.rows { for k in middle.columns {
            let f = first.field(row: j, column: k)
            rows.formUnion(f.rows)
            columns.formUnion(f.columns)
        } }
        XCTAssertEqual(rows, Set(0..<9))
        XCTAssertEqual(columns, Set(0..<9))
    }
}
