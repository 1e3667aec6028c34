import XCTest
import Tensors
import GradientChecking
import StyleRepresentation
import PerceptualControl

/// Spatial control's pieces: the guided Gram matrix and its gradient, and the regions' guides.
final class GuidedGramMatrixTests: XCTestCase {
    /// The guided Gram matrix: with a guide of ones it is the Gram matrix; with a 0/1 guide it is
    /// the region's own Gram matrix, normalised by the region's size; its gradient against
    /// central differences, with a guide whose values lie between 0 and 1 (a shrunk edge).
    func testGuidedGramMatrix() {
        let f = Tensor.random(shape: [3, 4, 5], seed: 3)
        for (a, b) in zip(guidedGramMatrixForward(f, guide: [Float](repeating: 1, count: 20)).data, gramMatrixForward(f).data) {
            XCTAssertEqual(a, b, accuracy: 1e-6)
        }
        // The left two columns only: the Gram matrix of those 8 positions alone.
        let guide = (0..<20).map { $0 % 5 < 2 ? Float(1) : 0 }
        var region = Tensor(shape: [3, 4, 2])
        for c in 0..<3 { for y in 0..<4 { for x in 0..<2 { region.data[(c * 4 + y) * 2 + x] = f.data[(c * 4 + y) * 5 + x] } } }
        for (a, b) in zip(guidedGramMatrixForward(f, guide: guide).data, gramMatrixForward(region).data) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        for (n, shape) in [[1, 2, 2], [3, 4, 5], [4, 3, 6]].enumerated() {
            let x = Tensor.random(shape: shape, seed: UInt64(10 + n)), c = shape[0]
            let soft = Tensor.random(shape: [shape[1] * shape[2]], in: 0...1, seed: UInt64(20 + n)).data
            assertGradient(checkGradient(input: x.data, epsilon: 1, forward: { guidedGramMatrixForward(Tensor(shape: shape, data: $0), guide: soft).data },
                                         backward: { guidedGramMatrixBackward(dGram: Tensor(shape: [c, c], data: $0), features: x, guide: soft).data }),
                           "guided gram \(shape)")
        }
    }

    /// A layout's guides: after k poolings each cell holds the share of its 2^k x 2^k block inside
    /// the region; resizing takes each pixel's nearest label.
    func testRegionGuides() {
        // 6 x 5 pixels: region 1 is the right two columns and the bottom-left pixel, region 0 the rest.
        let labels = (0..<30).map { ($0 % 5 >= 3 || $0 == 25) ? 1 : 0 }
        let layout = RegionLayout(height: 6, width: 5, regions: 2, labels: labels)
        XCTAssertEqual(layout.areas, [17, 13])
        XCTAssertEqual(layout.guide(region: 1, poolings: 0), labels.map(Float.init))
        // One pooling: 3 x 2 cells of 2 x 2 pixels (the last column dropped, as pooling drops it).
        XCTAssertEqual(layout.guide(region: 1, poolings: 1), [0, 0.5, 0, 0.5, 0.25, 0.5])
        XCTAssertEqual(layout.guide(region: 0, poolings: 1), [1, 0.5, 1, 0.5, 0.75, 0.5])
        // The inside guide keeps only the cells wholly in the region.
        XCTAssertEqual(layout.guide(region: 0, poolings: 1, kind: .inside), [1, 0, 1, 0, 0, 0])
        XCTAssertEqual(layout.guide(region: 1, poolings: 1, kind: .inside), [0, 0, 0, 0, 0, 0])
        XCTAssertEqual(layout.guide(region: 1, poolings: 0, kind: .inside), layout.guide(region: 1, poolings: 0))
        // Nearest neighbour: doubling keeps every label, halving picks one pixel of each pair.
        let doubled = layout.resized(height: 12, width: 10)
        XCTAssertEqual(doubled.labels[(2 * 5 + 1) * 10 + 2 * 3], labels[5 * 5 + 3])
        XCTAssertEqual(doubled.areas, layout.areas.map { $0 * 4 })
        XCTAssertEqual(doubled.resized(height: 6, width: 5), layout)
    }
}
