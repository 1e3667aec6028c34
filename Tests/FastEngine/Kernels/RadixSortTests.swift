import XCTest
import SeededRandom
import Kernels
import StyleDistribution

/// The radix sort against its plain twin, chapter 8b's `sortingOrder` (by value, equal values by
/// position), on the values a layer's projections take: negatives, zeros of both signs, repeats,
/// and counts from one to more than a 11-bit digit's buckets.
final class RadixSortTests: XCTestCase {
    /// The radix sort's order, the same with zeros set aside or not (checked at every call).
    func radixOrder(_ values: [Float], stride: Int = 1, offset: Int = 0, count: Int? = nil,
                    file: StaticString = #filePath, line: UInt = #line) -> [Int] {
        let count = count ?? values.count
        let buffers = RadixSortBuffers(capacity: count)
        var orders: [[Int]] = []
        for settingZerosAside in [false, true] {
            var order = [UInt32](repeating: 0, count: count)
            values.withUnsafeBufferPointer { v in order.withUnsafeMutableBufferPointer {
                radixSortingOrder(v.baseAddress! + offset, stride: stride, count: count, buffers: buffers, order: $0.baseAddress!,
                                  settingZerosAside: settingZerosAside)
            } }
            orders.append(order.map(Int.init))
        }
        XCTAssertEqual(orders[0], orders[1], "zeros set aside or not", file: file, line: line)
        return orders[0]
    }

    func testKeysOrderAsTheFloatsDo() {
        let values: [Float] = [-Float.greatestFiniteMagnitude, -3.5, -1, -Float.leastNonzeroMagnitude, 0, Float.leastNonzeroMagnitude, 1e-30, 1, 2, 1e30, .infinity]
        for (a, b) in zip(values, values.dropFirst()) { XCTAssertLessThan(orderedKey(a), orderedKey(b), "\(a) < \(b)") }
        XCTAssertEqual(orderedKey(-0.0), orderedKey(0.0))
        XCTAssertLessThan(orderedKey(-.infinity), orderedKey(-Float.greatestFiniteMagnitude))
    }

    func testTheSameOrderAsTheChapter() {
        var rng = SplitMix64(seed: 1)
        for count in [1, 2, 7, 100, 2048, 5000, 70_000] {
            let values: [Float] = (0..<count).map { _ in
                switch rng.next() % 8 {
                case 0: return 0
                case 1: return -0.0
                case 2: return Float(rng.next() % 5) - 2            // repeats
                default: return Float(Int64(bitPattern: rng.next() >> 20)) * 1e-9   // spread, both signs
                }
            }
            XCTAssertEqual(radixOrder(values), sortingOrder(values), "\(count) values")
        }
    }

    func testAStridedColumn() {
        // Column 1 of a 3-column row-major matrix, as a layer's projections on one direction are read.
        var rng = SplitMix64(seed: 2)
        let matrix: [Float] = (0..<3000).map { _ in Float(rng.next() % 1000) / 7 - 50 }
        let column = (0..<1000).map { matrix[$0 * 3 + 1] }
        XCTAssertEqual(radixOrder(matrix, stride: 3, offset: 1, count: 1000), sortingOrder(column))
    }

    func testValuesThatShareTheirHighDigitsSkipThosePasses() {
        // All between 1 and 2: the top 9 bits of every key agree, so the last pass moves nothing.
        var rng = SplitMix64(seed: 3)
        let values: [Float] = (0..<4000).map { _ in 1 + Float(rng.next() % 100_000) / 100_000 }
        XCTAssertEqual(radixOrder(values), sortingOrder(values))
    }

    func testValuesThatDifferOnlyInTheirLowestDigitOrNotAtAll() {
        // Keys that differ in their lowest 11 bits alone: the first pass is the last, and writes
        // the order; keys all alike: no pass moves anything, and the order is the positions'.
        var rng = SplitMix64(seed: 4)
        let low: [Float] = (0..<3000).map { _ in Float(bitPattern: Float(1).bitPattern + UInt32(rng.next() % 2000)) }
        XCTAssertEqual(radixOrder(low), sortingOrder(low))
        XCTAssertEqual(radixOrder([Float](repeating: 0.25, count: 500)), Array(0..<500))
        XCTAssertEqual(radixOrder([0, -0.0, 0, -0.0]), [0, 1, 2, 3])
    }

    func testZerosSetAsideGoBetweenTheNegativesAndThePositives() {
        // A ReLU's maps: mostly zeros; projections: both signs with zeros among them; zeros and
        // negatives only; zeros and one repeated value. Each against the chapter's order.
        var rng = SplitMix64(seed: 5)
        let relu: [Float] = (0..<6000).map { _ in rng.next() % 10 < 7 ? 0 : Float(rng.next() % 100_000) / 1000 }
        let signed: [Float] = (0..<6000).map { _ in rng.next() % 4 == 0 ? (rng.next() % 2 == 0 ? 0 : -0.0) : Float(Int64(rng.next() % 20_000) - 10_000) / 77 }
        let negative: [Float] = (0..<3000).map { _ in rng.next() % 3 == 0 ? 0 : -Float(rng.next() % 500) - 1 }
        let twoValues: [Float] = (0..<3000).map { _ in rng.next() % 2 == 0 ? 0 : 2.5 }
        for (name, values) in [("relu", relu), ("signed", signed), ("negative", negative), ("two values", twoValues)] {
            XCTAssertEqual(radixOrder(values), sortingOrder(values), name)
        }
        XCTAssertEqual(radixOrder([3, 0, -1, 0, 2]), [2, 1, 3, 4, 0])
    }
}
