import XCTest
import SeededRandom
import Tensors
import Optimisers
import StyleRepresentation
import StyleDistribution
import GradientChecking

final class StyleDistributionTests: XCTestCase {
    /// Random maps (C, H, W) with values spread over -2...2.
    func maps(_ shape: [Int], seed: UInt64) -> Tensor { Tensor.random(shape: shape, in: -2...2, seed: seed) }

    func testQuantilesOfOneListAreItsSortedValues() {
        let values: [Float] = [5, -1, 3, 0, 2]
        for (q, v) in zip(WeightedValues(values).quantiles(count: 5), [Float(-1), 0, 2, 3, 5]) { XCTAssertEqual(q, v, accuracy: 1e-6) }
        // Read at twice as many levels, the quantiles interpolate between neighbours and repeat the ends.
        let ten = WeightedValues(values).quantiles(count: 10)
        XCTAssertEqual(ten.first, -1)
        XCTAssertEqual(ten.last, 5)
        XCTAssertEqual(ten[4], 1.5, accuracy: 1e-6)   // level 0.45, between 0 (level 0.3) and 2 (0.5): 0 + 0.75 * 2
        XCTAssertEqual(ten, ten.sorted())
    }

    func testTheSweepReadsWhatEachQuantileReads() {
        var rng = SplitMix64(seed: 4)
        let a: [Float] = (0..<37).map { _ in Float(rng.next() % 9) - 4 }, b: [Float] = (0..<20).map { _ in Float(rng.next() % 5) }
        let blend = WeightedValues([(values: a, weight: 2), (values: b, weight: 1)])
        for count in [1, 5, 57, 200] {
            XCTAssertEqual(blend.quantiles(count: count), (0..<count).map { blend.quantile((Double($0) + 0.5) / Double(count)) })
        }
        let merged = WeightedValues(merging: [(sorted: a.sorted(), weight: 2), (sorted: b.sorted(), weight: 1)])
        XCTAssertEqual(merged.sorted, blend.sorted)
        XCTAssertEqual(merged.levels, blend.levels)
    }

    func testABlendWeighsEachStyleByItsWeight() {
        // Three quarters of the weight on the values near 10: the median lies among them.
        let blend = WeightedValues([(values: [0, 1], weight: 1), (values: [10, 11], weight: 3)])
        XCTAssertEqual(blend.quantile(0.5), 10.0, accuracy: 0.5)
        XCTAssertEqual(blend.quantile(0.1), 0, accuracy: 1)
    }

    func testDirectionsAreUnitVectorsFromTheirSeed() {
        let v = randomDirections(count: 64, dimension: 8, seed: 3)
        for d in 0..<64 {
            let length = (0..<8).reduce(Float(0)) { $0 + v[d, $1] * v[d, $1] }
            XCTAssertEqual(length, 1, accuracy: 1e-5)
        }
        XCTAssertEqual(randomDirections(count: 64, dimension: 8, seed: 3).data, v.data)
        XCTAssertNotEqual(randomDirections(count: 64, dimension: 8, seed: 4).data, v.data)
        XCTAssertNotEqual(directionSeed(run: 1, draw: 0, layer: 0), directionSeed(run: 1, draw: 1, layer: 0))
        XCTAssertNotEqual(directionSeed(run: 1, draw: 0, layer: 0), directionSeed(run: 1, draw: 0, layer: 1))
        // No direction is preferred: over many, each coordinate averages near zero.
        let many = randomDirections(count: 4000, dimension: 4, seed: 5)
        for i in 0..<4 { XCTAssertEqual((0..<4000).reduce(Float(0)) { $0 + many[$1, i] } / 4000, 0, accuracy: 0.03) }
    }

    /// The chapter's point: two sets of maps with the same Gram matrix, and different
    /// distributions. The Gram term cannot tell them apart; both distribution terms can.
    func testEqualGramMatricesDifferentDistributions() {
        // One channel: values +-1 everywhere, or +-sqrt(2) at half the positions and 0 elsewhere.
        // Both have mean square 1, so the same 1x1 Gram matrix.
        let s = Float(2).squareRoot()
        let evenly = Tensor(shape: [1, 2, 4], data: [1, -1, 1, -1, -1, 1, -1, 1])
        let peaky = Tensor(shape: [1, 2, 4], data: [s, 0, -s, 0, 0, s, 0, -s])
        XCTAssertEqual(gramMatrixForward(evenly)[0, 0], gramMatrixForward(peaky)[0, 0], accuracy: 1e-6)
        let gram = GramMatrixTerm(targets: ["l": gramMatrixForward(evenly)])
        XCTAssertEqual(gram.evaluate(features: peaky, layer: "l", weight: 1).loss, 0, accuracy: 1e-10)
        let sliced = SlicedWassersteinTerm(styles: [["l": evenly]], blend: [1], layers: ["l"], seed: 1)
        let histogram = HistogramTerm(styles: [["l": evenly]], blend: [1], layers: ["l"])
        XCTAssertEqual(sliced.evaluate(features: evenly, layer: "l", weight: 1).loss, 0, accuracy: 1e-10)
        XCTAssertEqual(histogram.evaluate(features: evenly, layer: "l", weight: 1).loss, 0, accuracy: 1e-10)
        // Sorted, -s, -s, 0, 0, 0, 0, s, s against -1 four times and 1 four times: the mean square
        // difference is (4 (s - 1)^2 + 4) / 8 = 2 - s.
        XCTAssertEqual(histogram.evaluate(features: peaky, layer: "l", weight: 1).loss, Double(2 - s), accuracy: 1e-5)
        XCTAssertEqual(sliced.evaluate(features: peaky, layer: "l", weight: 1).loss, Double(2 - s), accuracy: 1e-5)
    }

    func testTheTermsForgetWhereFeaturesAre() {
        let style = maps([3, 4, 5], seed: 1), picture = maps([3, 6, 5], seed: 2)
        var shuffled = picture
        var rng = SplitMix64(seed: 3)
        let order = Array(0..<30).shuffled(using: &rng)
        for c in 0..<3 { for p in 0..<30 { shuffled.data[c * 30 + p] = picture.data[c * 30 + order[p]] } }
        let sliced = SlicedWassersteinTerm(styles: [["l": style]], blend: [1], layers: ["l"], seed: 7)
        let histogram = HistogramTerm(styles: [["l": style]], blend: [1], layers: ["l"])
        for term in [sliced as any StyleTerm, histogram] {
            let (a, b) = (term.evaluate(features: picture, layer: "l", weight: 2).loss, term.evaluate(features: shuffled, layer: "l", weight: 2).loss)
            XCTAssertGreaterThan(a, 0.01)
            XCTAssertEqual(a, b, accuracy: 1e-9 * a)
        }
        // The same maps give zero, at any number of positions of the style.
        XCTAssertEqual(sliced.evaluate(features: style, layer: "l", weight: 2).loss, 0, accuracy: 1e-9)
    }

    func testRedrawingChangesTheDirectionsOnly() {
        let style = maps([4, 3, 3], seed: 1), picture = maps([4, 3, 3], seed: 2)
        var term = SlicedWassersteinTerm(styles: [["l": style]], blend: [1], layers: ["l"], seed: 7)
        let first = term.evaluate(features: picture, layer: "l", weight: 1).loss
        term.redraw(1)
        XCTAssertEqual(term.draw, 1)
        XCTAssertNotEqual(term.evaluate(features: picture, layer: "l", weight: 1).loss, first)
        term.redraw(0)
        XCTAssertEqual(term.evaluate(features: picture, layer: "l", weight: 1).loss, first, "draw 0 again: the same directions")
    }

    /// The kinks of a sorted term: for each direction, whether the projections keep the order
    /// they have at `x`. Between rank changes the term is a quadratic, so central differences
    /// over steps that change no rank are exact up to rounding.
    func ranks(at x: Tensor, directions: Tensor) -> ([Float]) -> [Bool] {
        let shape = x.shape
        let base = projections(of: x, on: directions).map(sortingOrder)
        return { values in
            let projected = projections(of: Tensor(shape: shape, data: values), on: directions)
            return zip(projected, base).flatMap { row, order in (0..<(order.count - 1)).map { row[order[$0]] < row[order[$0 + 1]] } }
        }
    }

    /// Maps spread over -200...200, so that steps of 0.5 leave most ranks as they are.
    func wideMaps(_ shape: [Int], seed: UInt64) -> Tensor { Tensor.random(shape: shape, in: -200...200, seed: seed) }

    func testSlicedWassersteinGradient() {
        for (n, (styleShape, shape)) in [([3, 4, 5], [3, 4, 5]), ([4, 6, 5], [4, 3, 4]), ([2, 2, 3], [2, 5, 5])].enumerated() {
            let style = wideMaps(styleShape, seed: UInt64(10 + n)), x = wideMaps(shape, seed: UInt64(20 + n))
            let term = SlicedWassersteinTerm(styles: [["l": style], ["l": wideMaps(styleShape, seed: 99)]], blend: [3, 1], layers: ["l"], seed: UInt64(n))
            // The projections are Floats of about 200, whose rounding moves the loss by about 0.005:
            // the half of the inputs with the largest gradients stand far above it.
            assertLossGradient(at: x.data, epsilon: 0.5, minimumElements: x.count / 4, largestHalf: true,
                               loss: { let (l, g) = term.evaluate(features: Tensor(shape: shape, data: $0), layer: "l", weight: 100); return (l, g.data) },
                               kinks: ranks(at: x, directions: term.directions["l"]!), "sliced Wasserstein \(shape) against \(styleShape)")
        }
    }

    func testHistogramGradientWithTheRemappedMapsHeldFixed() {
        let identity = Tensor(shape: [3, 3], data: [1, 0, 0, 0, 1, 0, 0, 0, 1])
        for (n, (styleShape, shape)) in [([3, 4, 5], [3, 4, 5]), ([3, 6, 5], [3, 3, 4])].enumerated() {
            let style = wideMaps(styleShape, seed: UInt64(30 + n)), x = wideMaps(shape, seed: UInt64(40 + n))
            let term = HistogramTerm(styles: [["l": style]], blend: [1], layers: ["l"])
            let r = term.remapped(x, layer: "l")
            let gradient = term.evaluate(features: x, layer: "l", weight: 100).gradient.data
            // Held fixed: the term as a function of F with R a constant, checked at every input...
            assertLossGradient(at: x.data, epsilon: 0.5, minimumElements: x.count,
                               loss: { (100 * meanSquaredErrorForward(Tensor(shape: shape, data: $0), target: r), gradient) },
                               kinks: { _ in [] }, "histogram \(shape), R fixed")
            // ... and, where no rank changes, the term itself, remapping included: the same gradient.
            assertLossGradient(at: x.data, epsilon: 0.5, minimumElements: x.count / 3,
                               loss: { let (l, g) = term.evaluate(features: Tensor(shape: shape, data: $0), layer: "l", weight: 100); return (l, g.data) },
                               kinks: ranks(at: x, directions: identity), "histogram \(shape), R remapped at each step")
        }
    }

    func testRisserStyleLossIsGramPlusHistogram() {
        let style = maps([3, 4, 4], seed: 1), x = maps([3, 4, 4], seed: 2)
        let gram = GramMatrixTerm(targets: ["l": gramMatrixForward(style)])
        let histogram = HistogramTerm(styles: [["l": style]], blend: [1], layers: ["l"])
        let both = HistogramAndGramTerm(gram: gram, histogram: histogram, histogramFactor: 0.5)
        let (loss, gradient) = both.evaluate(features: x, layer: "l", weight: 10)
        let (g, h) = (gram.evaluate(features: x, layer: "l", weight: 10), histogram.evaluate(features: x, layer: "l", weight: 5))
        XCTAssertEqual(loss, g.loss + h.loss, accuracy: 1e-9 * loss)
        for i in 0..<x.count { XCTAssertEqual(gradient.data[i], g.gradient.data[i] + h.gradient.data[i], accuracy: 1e-6) }
    }

    func testDescentRedrawsAndStartsTheOptimiserAfresh() {
        // A one-channel "picture" pulled towards a style by the sliced term, directly on its maps.
        let style = maps([2, 4, 4], seed: 1)
        var term = SlicedWassersteinTerm(styles: [["l": style]], blend: [1], layers: ["l"], seed: 3)
        var draws: [Int] = [], optimisers = 0, seen: [Int] = []
        let start = maps([2, 4, 4], seed: 2)
        let result = descendRedrawing(start, iterations: 10, redrawEvery: 4,
                                      makeOptimiser: { optimisers += 1; return LBFGS(historySize: 5) },
                                      redraw: { draws.append($0); term.redraw($0) },
                                      evaluate: { image in
                                          let (loss, gradient) = term.evaluate(features: image, layer: "l", weight: 1)
                                          return (LossParts(style: loss), gradient)
                                      }, progress: { seen.append($0.iteration) })
        XCTAssertEqual(draws, [1, 2])
        XCTAssertEqual(optimisers, 3)
        XCTAssertEqual(result.steps, 10)
        XCTAssertEqual(seen, Array(1...10))
        term.redraw(0)
        XCTAssertLessThan(term.evaluate(features: result.image, layer: "l", weight: 1).loss,
                          0.5 * term.evaluate(features: start, layer: "l", weight: 1).loss)
    }
}
