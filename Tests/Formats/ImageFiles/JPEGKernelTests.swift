import XCTest
import SeededRandom
@testable import ImageFiles

/// The JPEG decoder's fast paths against their plain twins: the separable SIMD inverse DCT
/// against the 64-pattern sum, the float-format conversions, and the triangle-filter
/// upsampling against libjpeg's formulas written out sample by sample. `.ci/run` runs these in
/// the debug and the release build.
final class JPEGKernelTests: XCTestCase {
    func testBasisPatternsAreOrthonormal() {
        for i in 0..<64 {
            for j in 0..<64 {
                let dot = zip(InverseDCT.basisPatterns[i], InverseDCT.basisPatterns[j]).reduce(0) { $0 + $1.0 * $1.1 }
                XCTAssertEqual(dot, i == j ? 1 : 0, accuracy: 1e-12, "patterns \(i), \(j)")
            }
        }
        XCTAssertTrue(InverseDCT.basisPatterns[0].allSatisfy { abs($0 - 0.125) < 1e-15 })
    }

    /// Random blocks of every kind the fast path treats differently: DC only, a few low
    /// frequencies (zero rows and columns skipped), every coefficient, large values (clamped).
    func randomCoefficients(blocks: Int, generator: inout SplitMix64) -> [Int16] {
        var coefficients = [Int16](repeating: 0, count: blocks * 64)
        for b in 0..<blocks {
            let kind = b % 4
            let rows = kind == 0 ? 1 : kind == 1 ? 3 : 8, columns = kind == 0 ? 1 : kind == 1 ? 2 + b % 5 : 8
            let scale = kind == 3 ? 200 : 40
            for v in 0..<rows {
                for u in 0..<columns {
                    coefficients[b * 64 + v * 8 + u] = Int16(Int(generator.next() % UInt64(2 * scale + 1)) - scale)
                }
            }
        }
        return coefficients
    }

    /// The fast component transform rounds the plain one's exact values: equal wherever the
    /// exact value is not within 0.01 of a rounding boundary, within one level there. An error
    /// of 0.1% in any basis pattern moves values of this size by more than that.
    func testFastInverseDCTMatchesThePlainOne() {
        var generator = SplitMix64(seed: 5)
        // 70 block rows: more than the 64 bands the rows are shared in, so bands differ in size.
        let blocksPerLine = 5, blockRows = 70
        let coefficients = randomCoefficients(blocks: blocksPerLine * blockRows, generator: &generator)
        let quantisation = (0..<64).map { UInt16(1 + $0 % 13) }
        for parallel in [true, false] {
            let fast = FastInverseDCT.component(coefficients: coefficients, quantisation: quantisation, blocksPerLine: blocksPerLine,
                                                blockRows: blockRows, parallel: parallel)
            let plain = InverseDCT.component(coefficients: coefficients, quantisation: quantisation, blocksPerLine: blocksPerLine,
                                             blockRows: blockRows)
            XCTAssertEqual(fast.count, plain.count)
            var equal = 0, nearBoundary = 0
            let stride = blocksPerLine * 8
            for block in 0..<(blocksPerLine * blockRows) {
                let base = block * 64
                let exact = InverseDCT.transform((0..<64).map { Double(coefficients[base + $0]) * Double(quantisation[$0]) })
                for i in 0..<64 {
                    let (row, column) = (block / blocksPerLine * 8 + i / 8, block % blocksPerLine * 8 + i % 8)
                    let value = min(255, max(0, exact[i] + 128)), got = Double(fast[row * stride + column])
                    if abs(value - value.rounded(.down) - 0.5) < 0.01 {
                        nearBoundary += 1
                        XCTAssertLessThanOrEqual(abs(got - value), 0.51)
                    } else {
                        XCTAssertEqual(got, value.rounded(), "block \(block), sample \(i): exact \(value)")
                        equal += 1
                    }
                    XCTAssertLessThanOrEqual(abs(Double(plain[row * stride + column]) - got), 1)
                }
            }
            XCTAssertGreaterThan(equal, 20 * nearBoundary)
        }
    }

    func testFloatFormatConversions() {
        for v in Int(Int16.min)...Int(Int16.max) where v % 7 == 0 || abs(v) < 300 {
            XCTAssertEqual(FastInverseDCT.floats(SIMD8<Int16>(repeating: Int16(v)))[3], Float(v))
        }
        var x: Float = -1000
        while x <= 1000 {
            let expected = UInt8(min(255, max(0, x.rounded(.toNearestOrEven))))
            XCTAssertEqual(FastInverseDCT.bytes(SIMD8<Float>(repeating: x))[5], expected, "\(x)")
            x += 0.125
        }
    }

    // MARK: - Upsampling

    /// libjpeg's h2v1, h1v2 and h2v2 "fancy" upsampling, sample by sample (jdsample.c's
    /// formulas, edges by repetition): the plain twin of ChromaUpsampler.
    func expectedRow(_ plane: [[Int]], method: ChromaUpsampler.Method, y: Int, imageWidth: Int) -> [Int] {
        let height = plane.count, width = plane[0].count
        func across(_ values: [Int], shift: Int, left: Int, right: Int) -> [Int] {
            var out: [Int] = []
            for i in 0..<width {
                let previous = values[max(0, i - 1)], next = values[min(width - 1, i + 1)]
                out.append(((i == 0 ? 4 * values[i] : 3 * values[i] + previous) + left) >> shift)
                out.append(((i == width - 1 ? 4 * values[i] : 3 * values[i] + next) + right) >> shift)
            }
            return Array(out.prefix(imageWidth))
        }
        let near = min(height - 1, y / 2), far = min(height - 1, max(0, y % 2 == 1 ? near + 1 : near - 1))
        switch method {
        case .triangleAcross: return across(plane[y], shift: 2, left: 1, right: 2)
        case .triangleDown: return (0..<imageWidth).map { (3 * plane[near][$0] + plane[far][$0] + (y % 2 == 1 ? 2 : 1)) >> 2 }
        case .triangleBoth: return across((0..<width).map { 3 * plane[near][$0] + plane[far][$0] }, shift: 4, left: 8, right: 7)
        default: return []
        }
    }

    func testTriangleUpsamplingMatchesLibjpegFormulas() throws {
        var generator = SplitMix64(seed: 9)
        // (image width, height, component width, height, sampling of Y, sampling of the component)
        for (w, h, across, down) in [(61, 43, 2, 1), (61, 43, 1, 2), (61, 43, 2, 2), (6, 4, 2, 2), (5, 7, 2, 2), (64, 48, 2, 2)] {
            let y = JPEGComponent(id: 1, horizontalSampling: across, verticalSampling: down, quantisationTable: 0)
            let c = JPEGComponent(id: 2, horizontalSampling: 1, verticalSampling: 1, quantisationTable: 0)
            // A frame built the way SOF builds one, for its component sizes.
            var sof: [UInt8] = [8, UInt8(h >> 8), UInt8(h & 255), UInt8(w >> 8), UInt8(w & 255), 3]
            for (id, component) in [(1, y), (2, c), (3, c)] {
                sof += [UInt8(id), UInt8(component.horizontalSampling << 4 | component.verticalSampling), 0]
            }
            let frame = try JPEGFrame(marker: 0xC0, segment: sof[...])
            let component = frame.components[1]
            let upsampler = ChromaUpsampler(component: component, frame: frame)
            let stride = component.blocksPerLine * 8
            let plane = (0..<(stride * component.blockRows * 8)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let rows = (0..<component.height).map { r in (0..<component.width).map { Int(plane[r * stride + $0]) } }
            let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: w + 1)
            defer { scratch.deallocate() }
            for row in 0..<h {
                let got = plane.withUnsafeBufferPointer { p in
                    let pointer = upsampler.row(row, imageWidth: w, plane: p, scratch: scratch)
                    return (0..<w).map { Int(pointer[$0]) }
                }
                XCTAssertEqual(got, expectedRow(rows, method: upsampler.method, y: row, imageWidth: w), "\(w)x\(h) \(upsampler.method) row \(row)")
            }
        }
    }
}
