import XCTest
import GeneratedShapes

final class ShapesDatasetTests: XCTestCase {
    func testDeterministicBalancedAndInRange() {
        let a = ShapesDataset.generate(count: 50, seed: 9), b = ShapesDataset.generate(count: 50, seed: 9)
        XCTAssertEqual(a.map(\.pixels), b.map(\.pixels))
        XCTAssertNotEqual(a.map(\.pixels), ShapesDataset.generate(count: 50, seed: 10).map(\.pixels))
        for shape in Shape.allCases { XCTAssertEqual(a.filter { $0.shape == shape }.count, 10) }
        for sample in a {
            XCTAssertEqual(sample.pixels.count, 784)
            XCTAssertTrue(sample.pixels.allSatisfy { (0...1).contains($0) })
            // Some ink, but not a filled square.
            let ink = sample.pixels.filter { $0 > 0.5 }.count
            XCTAssertGreaterThan(ink, 10)
            XCTAssertLessThan(ink, 300)
        }
    }

    func testShapesLookLikeTheirNames() {
        var rng = SplitMix64Source.make()
        // A horizontal line has its ink spread across columns more than across rows; a vertical one the reverse.
        func spread(_ sample: ShapeSample) -> (rows: Int, columns: Int) {
            var rows = Set<Int>(), columns = Set<Int>()
            for i in 0..<784 where sample.pixels[i] > 0.5 { rows.insert(i / 28); columns.insert(i % 28) }
            return (rows.count, columns.count)
        }
        for _ in 0..<10 {
            let h = spread(ShapesDataset.draw(.horizontalLine, using: &rng)), v = spread(ShapesDataset.draw(.verticalLine, using: &rng))
            XCTAssertGreaterThan(h.columns, h.rows)
            XCTAssertGreaterThan(v.rows, v.columns)
        }
    }
}
