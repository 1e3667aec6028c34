import XCTest
import Pictures

final class LineChartTests: XCTestCase {
    func testChartHasOnePointPerValueAndEscapesText() {
        var chart = LineChart(title: "loss < 1 & falling", xLabel: "epoch", yLabel: "loss", yRange: 0...4)
        chart.add("training", [(1, 4), (2, 2), (3, 1)])
        let svg = chart.svg(width: 400, height: 200)
        XCTAssertTrue(svg.hasPrefix("<svg"))
        XCTAssertTrue(svg.contains("loss &lt; 1 &amp; falling"))
        XCTAssertEqual(svg.components(separatedBy: "<circle").count - 1, 3)
        // y = 4 is the top of the range and y = 0 the bottom: x = 1 maps to the left edge (60).
        XCTAssertTrue(svg.contains("points=\"60.0,36.0 "), svg)
    }
}
