import XCTest
@testable import ImageFiles

/// Our JPEG decoder against libjpeg-turbo's (djpeg, default settings) on files made by cjpeg:
/// every kind of file the decoder reads.
final class JPEGDecoderTests: XCTestCase {
    /// Mean and largest absolute difference between two pictures of the same layout.
    func difference(_ a: RasterImage, _ b: RasterImage) -> (mean: Double, max: Int, exact: Double) {
        var total = 0, largest = 0, same = 0
        for (x, y) in zip(a.samples, b.samples) {
            let d = abs(Int(x) - Int(y))
            total += d
            largest = max(largest, d)
            if d == 0 { same += 1 }
        }
        return (Double(total) / Double(a.samples.count), largest, Double(same) / Double(a.samples.count))
    }

    static let fixtures = ["baseline-444", "baseline-422", "baseline-420", "baseline-440", "baseline-411", "baseline-311",
                           "baseline-chroma-larger", "baseline-mixed", "baseline-420-tiny", "baseline-one-pixel", "baseline-gray",
                           "baseline-optimized", "baseline-restart", "baseline-420-large", "progressive-420", "progressive-444",
                           "progressive-gray", "progressive-restart", "progressive-420-large"]

    func testAgreesWithLibjpeg() throws {
        for name in Self.fixtures {
            let ours = try JPEGDecoder.decode(try jpegFixture(name + ".jpg"))
            let gray = name.hasSuffix("gray")
            let reference = try ImageFile.decode(try jpegFixture(name + (gray ? ".pgm" : ".ppm")))
            XCTAssertEqual(ours.width, reference.width, name)
            XCTAssertEqual(ours.height, reference.height, name)
            XCTAssertEqual(ours.color, reference.color, name)
            guard ours.samples.count == reference.samples.count else { continue }
            let d = difference(ours, reference)
            print(String(format: "%@: mean %.3f, max %d, %.1f%% exact", name, d.mean, d.max, 100 * d.exact))
            // The bar is a mean of at most 1 and a maximum of 24; ours is sharper, since
            // the only difference left is the IDCT's rounding (float here, libjpeg's 13-bit
            // integer one there): an upsampling or colour rounding slip moves every other
            // chroma pixel by one and fails it.
            XCTAssertLessThanOrEqual(d.mean, 0.08, name)
            XCTAssertLessThanOrEqual(d.max, 4, name)
            XCTAssertGreaterThan(d.exact, 0.93, name)
        }
    }
}
