import XCTest
import Tensors
import VGG
import StyleRepresentation
import GradientChecking

final class StyleRepresentationTests: XCTestCase {
    func assertGradient(_ result: GradientCheckResult, _ message: String, line: UInt = #line) {
        XCTAssertTrue(result.passed, "\(message): \(result)", line: line)
        XCTAssertTrue(result.catches(relativeError: 1e-3), "\(message): would not catch a 0.1% error", line: line)
    }

    /// Chapter 8's worked example: two 2x2 feature maps, a diagonal and a top row, and their
    /// 2x2 Gram matrix; mirrored left to right (the same features, elsewhere), the same matrix.
    func testTheWorkedExampleOfChapterEight() {
        let maps = Tensor(shape: [2, 2, 2], data: [1, 0,
                                                   0, 1,     // map 1: the diagonal
                                                   1, 1,
                                                   0, 0])    // map 2: the top row
        XCTAssertEqual(gramMatrixForward(maps).data, [0.25, 0.125, 0.125, 0.25])   // [2, 1; 1, 2] / (2 x 2 x 2)
        let mirrored = Tensor(shape: [2, 2, 2], data: [0, 1, 1, 0, 1, 1, 0, 0])
        XCTAssertEqual(gramMatrixForward(mirrored).data, gramMatrixForward(maps).data)
    }

    func testGramMatrixIsTheNormalisedInnerProductOfMaps() {
        let f = Tensor.random(shape: [3, 4, 5], seed: 1)
        let g = gramMatrixForward(f)
        XCTAssertEqual(g.shape, [3, 3])
        var inner: Float = 0
        for p in 0..<20 { inner += f.data[p] * f.data[40 + p] }
        XCTAssertEqual(g[0, 2], inner / 60, accuracy: 1e-6)
        XCTAssertEqual(g[0, 2], g[2, 0])
        // It forgets where features are: moving the pixels around changes nothing.
        var shuffled = f
        var rng = SplitMix64(seed: 2)
        let order = Array(0..<20).shuffled(using: &rng)
        for c in 0..<3 { for p in 0..<20 { shuffled.data[c * 20 + p] = f.data[c * 20 + order[p]] } }
        for (a, b) in zip(gramMatrixForward(shuffled).data, g.data) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    }

    func testGramMatrixGradient() {
        for (n, shape) in [[1, 2, 2], [3, 4, 5], [5, 3, 7]].enumerated() {
            let x = Tensor.random(shape: shape, seed: UInt64(n))
            let c = shape[0]
            assertGradient(checkGradient(input: x.data, epsilon: 1, forward: { gramMatrixForward(Tensor(shape: shape, data: $0)).data },
                                         backward: { gramMatrixBackward(dGram: Tensor(shape: [c, c], data: $0), features: x).data }),
                           "gram \(shape)")
        }
    }

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

    func testStyleLossGradient() {
        for (n, shape) in [[2, 3, 3], [4, 5, 2]].enumerated() {
            let x = Tensor.random(shape: shape, seed: UInt64(n)), target = gramMatrixForward(Tensor.random(shape: shape, seed: 9))
            assertGradient(checkGradient(input: x.data, epsilon: 0.5, forward: { [Float(styleLossForward(features: Tensor(shape: shape, data: $0), target: target, weight: 100))] },
                                         backward: { d in styleLossBackward(features: x, target: target, weight: 100).data.map { $0 * d[0] } }),
                           "style loss \(shape)")
        }
    }

    func testRepresentationOfAnImage() {
        let network = VGG.randomWeights(seed: 1, widthDivisor: 16)
        let grams = StyleRepresentation.of(Tensor.random(shape: [3, 16, 16], seed: 1), network: network, layers: ["relu1_1", "relu3_1"])
        XCTAssertEqual(grams["relu1_1"]?.shape, [4, 4])
        XCTAssertEqual(grams["relu3_1"]?.shape, [16, 16])
    }
}
