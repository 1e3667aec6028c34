import XCTest
import SeededRandom
import Tensors
import GeneratedShapes
@testable import ConvolutionalNeuralNetwork

/// Chapter 2b: edges, pooled edges, corners; every layer recorded.
final class ConvolutionalNeuralNetworkTests: XCTestCase {
    func strongest(_ maps: Tensor, channel k: Int) -> (value: Float, row: Int, column: Int) {
        let (h, w) = (maps.shape[1], maps.shape[2])
        var best = (value: -Float.infinity, row: 0, column: 0)
        for r in 0..<h { for c in 0..<w where maps[k, r, c] > best.value { best = (maps[k, r, c], r, c) } }
        return best
    }

    func testEveryLayerIsRecordedInOrderWithItsShape() {
        let recorded = EdgesToCorners.forward(ShapesDataset.drawCorner(.upAndRight, vertex: (8, 20)).tensor)
        XCTAssertEqual(recorded.names, EdgesToCorners.layerNames)
        XCTAssertEqual(recorded.layers.map(\.activations.shape), [[1, 28, 28], [2, 24, 24], [2, 12, 12], [4, 12, 12]])
        XCTAssertEqual(EdgesToCorners.parameterCount, 2 * 25 + 2 + 4 * 50 + 4)
    }

    /// What is recorded is what each layer made from the one before, not a copy of something else.
    func testEachRecordingIsTheLayerAppliedToThePreviousOne() {
        var rng = SplitMix64(seed: 3)
        let recorded = EdgesToCorners.forward(ShapesDataset.draw(.corner, using: &rng).tensor)
        let edges = sigmoidForward(convolutionForward(input: recorded["input"], weights: EdgeDetectors.weights, bias: EdgeDetectors.biases))
        XCTAssertEqual(recorded["edges"].data, edges.data)
        XCTAssertEqual(recorded["pooled edges"].data, maxPoolForward(recorded["edges"]).data)
        let corners = sigmoidForward(convolutionForward(input: recorded["pooled edges"], weights: CornerDetectors.weights,
                                                        bias: CornerDetectors.biases(), padding: 2))
        XCTAssertEqual(recorded["corners"].data, corners.data)
    }

    /// Each edge map says yes (above 0.5) along strokes of its own direction and never to the
    /// other direction (its strongest answer there is at a stroke's end, which looks a little
    /// like a short stub of the other direction).
    func testEachEdgeMapSaysYesOnlyToItsOwnDirection() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<20 {
            let vertical = EdgesToCorners.forward(ShapesDataset.draw(.verticalLine, using: &rng).tensor)["edges"]
            XCTAssertGreaterThan(strongest(vertical, channel: 0).value, 0.9)
            XCTAssertLessThan(strongest(vertical, channel: 1).value, 0.5)
            let horizontal = EdgesToCorners.forward(ShapesDataset.draw(.horizontalLine, using: &rng).tensor)["edges"]
            XCTAssertGreaterThan(strongest(horizontal, channel: 1).value, 0.9)
            XCTAssertLessThan(strongest(horizontal, channel: 0).value, 0.5)
        }
    }

    /// Each corner map says yes at its own kind of corner, within a few pixels of the vertex,
    /// wherever the corner is (near the border too), and every other map says no.
    func testEachCornerMapFiresAtItsVertexAndOnlyThere() {
        for arms in CornerArms.allCases {
            // Near the picture's border, in the middle, and between: the arms (10 pixels) always fit.
            for (a, b) in [(Float(3), Float(3)), (8, 14), (14, 8), (16, 16), (5, 12)] {
                let v = (x: arms.horizontal > 0 ? a : 28 - a, y: arms.vertical > 0 ? b : 28 - b)
                for thickness: Float in [1.0, 2.2] {
                    let corners = EdgesToCorners.forward(ShapesDataset.drawCorner(arms, vertex: v, thickness: thickness).tensor)["corners"]
                    let best = strongest(corners, channel: arms.rawValue)
                    XCTAssertGreaterThan(best.value, 0.8, "\(arms.name) at \(v), thickness \(thickness)")
                    let centre = EdgesToCorners.inputCentre(ofCornerRow: best.row, column: best.column)
                    XCTAssertLessThanOrEqual(max(abs(centre.x - v.x), abs(centre.y - v.y)), 3, "\(arms.name) at \(v): fired at \(centre)")
                    for other in CornerArms.allCases where other != arms {
                        XCTAssertLessThan(strongest(corners, channel: other.rawValue).value, 0.2, "\(other.name) answered \(arms.name)")
                    }
                }
            }
        }
    }

    /// One edge alone is not a corner: straight lines and crosses light no corner map.
    func testOneEdgeAloneIsNotACorner() {
        var rng = SplitMix64(seed: 5)
        for shape in [Shape.verticalLine, .horizontalLine, .cross] {
            for _ in 0..<30 {
                let corners = EdgesToCorners.forward(ShapesDataset.draw(shape, using: &rng).tensor)["corners"]
                XCTAssertLessThan(corners.data.max()!, 0.2, shape.name)
            }
        }
    }

    /// On the generated dataset (tilted, thick and thin, anywhere in the picture) most corners
    /// make some corner neuron say yes; no line or cross does.
    func testGeneratedCornersMostlyFireAndLinesNever() {
        let samples = ShapesDataset.generate(count: 250, seed: 7)
        func yes(_ shape: Shape) -> Double {
            let answers = samples.filter { $0.shape == shape }.map { EdgesToCorners.forward($0.tensor)["corners"].data.max()! }
            return Double(answers.filter { $0 > 0.5 }.count) / Double(answers.count)
        }
        XCTAssertGreaterThan(yes(.corner), 0.7)
        for shape in [Shape.verticalLine, .horizontalLine, .cross] { XCTAssertEqual(yes(shape), 0, shape.name) }
    }

    func testCornerKernelsPointTheirArmsTheRightWay() {
        // Up and right: the vertical-edge channel has its two cells above the centre (rows 0, 1,
        // column 2), the horizontal-edge channel right of it (row 2, columns 3, 4).
        let k = CornerDetectors.kernel(.upAndRight)
        XCTAssertEqual((0..<25).filter { k[$0] > 0 }, [2, 7])
        XCTAssertEqual((0..<25).filter { k[$0] < 0 }, [22])
        XCTAssertEqual((25..<50).filter { k[$0] > 0 }.map { $0 - 25 }, [13, 14])
        XCTAssertEqual((25..<50).filter { k[$0] < 0 }.map { $0 - 25 }, [10])
        let d = CornerDetectors.kernel(.downAndLeft)
        XCTAssertEqual((0..<25).filter { d[$0] > 0 }, [17, 22])
        XCTAssertEqual((25..<50).filter { d[$0] > 0 }.map { $0 - 25 }, [10, 11])
    }
}
