import XCTest
import Tensors
import Optimisers


final class ImageDescentTests: XCTestCase {
    /// A loss of x^2 (per value) that becomes NaN once x passes 3: descending with a step that
    /// overshoots must stop and hand back the last image whose loss was finite.
    func testANonFiniteLossStopsAndKeepsTheLastFiniteImage() {
        func evaluate(_ x: Tensor) -> (parts: LossParts, gradient: Tensor) {
            var parts = LossParts()
            parts.content = abs(x.data[0]) > 3 ? .nan : Double(x.data[0] * x.data[0])
            return (parts, Tensor(shape: x.shape, data: x.data.map { 2 * $0 }))
        }
        var optimiser = GradientDescent(learningRate: 1.5)   // x -> x - 3x = -2x: grows
        var seen: [Int] = []
        let result = descend(Tensor(shape: [1], data: [1]), iterations: 10, optimiser: &optimiser, evaluate: evaluate) { seen.append($0.iteration) }
        XCTAssertTrue(result.diverged)
        XCTAssertEqual(result.image.data, [-2])   // 1 -> -2 (finite) -> 4 (NaN)
        XCTAssertEqual(seen, [1, 2])
    }

    func testRunsTheIterationsAskedFor() {
        var optimiser = GradientDescent(learningRate: 0.25)
        var count = 0
        let result = descend(Tensor(shape: [2], data: [4, -4]), iterations: 3, optimiser: &optimiser,
                             evaluate: { x in (LossParts(), Tensor(shape: x.shape, data: x.data.map { 2 * $0 })) }) { _ in count += 1 }
        XCTAssertFalse(result.diverged)
        XCTAssertEqual(count, 3)
        XCTAssertEqual(result.image.data, [0.5, -0.5])   // halved three times
    }
}
