import XCTest
@testable import ImageFiles
import SeededRandom

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
                           "progressive-gray", "progressive-restart", "progressive-420-large", "baseline-rgb"]

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

    /// The orientation tag turns the picture as Pillow's ImageOps.exif_transpose does.
    func testExifOrientationTurnsThePictureUpright() throws {
        for orientation in 2...8 {
            let name = "exif-orientation-\(orientation)"
            let ours = try JPEGDecoder.decode(try jpegFixture(name + ".jpg"))
            let reference = try ImageFile.decode(try jpegFixture(name + ".ppm"))
            XCTAssertEqual(ours.width, reference.width, name)
            XCTAssertEqual(ours.height, reference.height, name)
            guard ours.samples.count == reference.samples.count else { continue }
            let d = difference(ours, reference)
            XCTAssertLessThanOrEqual(d.max, 4, name)
            XCTAssertLessThanOrEqual(d.mean, 0.1, name)
        }
    }

    func testImageFileReadsJPEG() throws {
        let image = try ImageFile.read(jpegDirectory + "/baseline-420.jpg")
        XCTAssertEqual(image.width, 61)
        XCTAssertEqual(image.height, 43)
        XCTAssertEqual(image.color, .rgb)
    }

    // MARK: - Bad files

    /// A file with one segment replaced: `bytes` with the segment that starts with `marker`
    /// (FF xx) given new contents (after the length), its length adjusted.
    func replacingSegment(_ marker: UInt8, in bytes: [UInt8], with contents: [UInt8]) -> [UInt8] {
        var p = 2
        while p + 4 <= bytes.count {
            let length = Int(bytes[p + 2]) << 8 | Int(bytes[p + 3])
            if bytes[p + 1] == marker {
                let newLength = contents.count + 2
                return Array(bytes[..<p]) + [0xFF, marker, UInt8(newLength >> 8), UInt8(newLength & 255)] + contents + Array(bytes[(p + 2 + length)...])
            }
            p += 2 + length
        }
        XCTFail("no segment FF\(String(marker, radix: 16))")
        return bytes
    }

    /// The contents of the first segment with `marker`.
    func segment(_ marker: UInt8, in bytes: [UInt8]) -> [UInt8] {
        var p = 2
        while p + 4 <= bytes.count {
            let length = Int(bytes[p + 2]) << 8 | Int(bytes[p + 3])
            if bytes[p + 1] == marker { return Array(bytes[(p + 4)..<(p + 2 + length)]) }
            p += 2 + length
        }
        return []
    }

    func assertError(_ bytes: [UInt8], _ expected: JPEGError, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try JPEGDecoder.decode(bytes), file: file, line: line) { error in
            XCTAssertEqual(error as? JPEGError, expected, "\(error)", file: file, line: line)
        }
    }

    func testErrors() throws {
        let good = try jpegFixture("baseline-420.jpg")
        let sof = segment(0xC0, in: good)
        XCTAssertEqual(sof.count, 15)
        assertError([0x89, 0x50, 0x4E, 0x47], .notJPEG)
        assertError([0xFF, 0xD8], .truncated("no scan before the end"))
        assertError([0xFF, 0xD8, 0xFF, 0xD9], .missingFrame)
        assertError([0xFF, 0xD8, 0x12], .badMarker("expected a marker (FF), found 12", offset: 2))
        assertError([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A], .truncated("inside the APP0 segment at byte 2"))
        assertError([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01], .badSegment(marker: "APP0", reason: "length 1, at least 2"))
        assertError([0xFF, 0xD8, 0xFF, 0xD3], .badMarker("RST3 outside a scan", offset: 2))
        // Frame headers: precision, components, sizes, sampling factors.
        var twelveBit = sof; twelveBit[0] = 12
        assertError(replacingSegment(0xC0, in: good, with: twelveBit), .unsupported("12-bit samples (only 8-bit JPEG is read)"))
        var huge = sof; huge[1] = 0xFF; huge[2] = 0xFF; huge[3] = 0xFF; huge[4] = 0xFF
        assertError(replacingSegment(0xC0, in: good, with: huge), .dimensionsTooLarge(width: 65535, height: 65535))
        var dnl = sof; dnl[1] = 0; dnl[2] = 0
        assertError(replacingSegment(0xC0, in: good, with: dnl), .unsupported("height 0 (the height would follow in a DNL marker)"))
        var fourComponents = sof; fourComponents[5] = 4
        assertError(replacingSegment(0xC0, in: good, with: fourComponents + [4, 0x11, 0]), .unsupported("4 components (CMYK or YCCK)"))
        var badSampling = sof; badSampling[7] = 0x51
        assertError(replacingSegment(0xC0, in: good, with: badSampling),
                    .badSegment(marker: "SOF0", reason: "component 1 has sampling factors 5x1, each must be 1 to 4"))
        var lossless = good; lossless[lossless.firstIndex(of: 0xC0)!] = 0xC3
        assertError(lossless, .unsupported("lossless coding (SOF3)"))
        assertError(try jpegFixture("arithmetic.jpg"), .unsupported("arithmetic coding (SOF9)"))
        // Tables.
        var overfull = [UInt8](repeating: 0, count: 17); overfull[1] = 2  // two 1-bit codes: the all-ones one is reserved
        assertError(replacingSegment(0xC4, in: good, with: overfull + [0, 1]),
                    .badSegment(marker: "DHT", reason: "the counts declare more codes of length 1 than fit"))
        assertError(replacingSegment(0xC4, in: good, with: [0x00, 5] + [UInt8](repeating: 0, count: 15)),
                    .badSegment(marker: "DHT", reason: "the table's symbols are cut short"))
        assertError(replacingSegment(0xDB, in: good, with: [0x00] + [UInt8](repeating: 1, count: 63)),
                    .badSegment(marker: "DQT", reason: "table 0 is cut short"))
        assertError(replacingSegment(0xDB, in: good, with: [0x00] + [UInt8](repeating: 0, count: 64)),
                    .badSegment(marker: "DQT", reason: "table 0 holds a zero step"))
        // Scans.
        var sos = segment(0xDA, in: good)
        sos[1] = 9
        assertError(replacingSegment(0xDA, in: good, with: sos), .badSegment(marker: "SOS", reason: "component 9 is not in the frame"))
        sos = segment(0xDA, in: good); sos[2] = 0x33
        assertError(replacingSegment(0xDA, in: good, with: sos),
                    .badSegment(marker: "SOS", reason: "scan 1 uses DC Huffman table 3, which no DHT defined"))
        // The compressed data cut short, and the file cut after it.
        let sosAt = (2..<(good.count - 1)).first { good[$0] == 0xFF && good[$0 + 1] == 0xDA }!
        assertError(Array(good[..<((sosAt + good.count) / 2)]), .truncatedScan(scan: 1))
        assertError(Array(good[..<(good.count - 2)]), .truncated("no EOI marker after scan 1"))
    }

    func testRestartMarkersAreChecked() throws {
        let good = try jpegFixture("baseline-restart.jpg")
        XCTAssertNoThrow(try JPEGDecoder.decode(good))
        // Find the first RST0 after the scan header and renumber it.
        let scan = good.firstIndex(of: 0xDA)!
        var wrong = good
        let rst = (scan..<(good.count - 1)).first { good[$0] == 0xFF && good[$0 + 1] == 0xD0 }!
        wrong[rst + 1] = 0xD5
        assertError(wrong, .corruptData(scan: 1, reason: "restart marker RST5 where RST0 belongs"))
        // Without the restart interval the data runs on across the markers and goes wrong.
        let noInterval = replacingSegment(0xDD, in: good, with: [0, 0])
        XCTAssertThrowsError(try JPEGDecoder.decode(noInterval))
    }

    func testProgressiveScanOrderIsChecked() throws {
        let good = try jpegFixture("progressive-420.jpg")
        // Remove the first scan (the DC one): the first AC scan then comes before any DC.
        var p = 2
        var withoutDC: [UInt8] = []
        while p < good.count {
            let marker = good[p + 1], length = Int(good[p + 2]) << 8 | Int(good[p + 3])
            if marker == 0xDA {
                let data = (p + 2 + length..<(good.count - 1)).first { good[$0] == 0xFF && good[$0 + 1] != 0 && !(0xD0...0xD7).contains(good[$0 + 1]) }!
                withoutDC = Array(good[..<p]) + Array(good[data...])
                break
            }
            p += 2 + length
        }
        XCTAssertThrowsError(try JPEGDecoder.decode(withoutDC)) { error in
            XCTAssertTrue("\(error)".contains("before its DC scan"), "\(error)")
        }
    }

    /// Seeded random damage to valid files (bytes changed, removed, inserted; the file cut):
    /// the decoder returns a picture or a JPEGError, never crashes or hangs.
    func testRandomMutationsNeverCrash() throws {
        var generator = SplitMix64(seed: 11)
        var errors = 0, decoded = 0
        for name in ["baseline-420", "baseline-restart", "progressive-420", "progressive-restart", "baseline-gray", "progressive-444"] {
            let original = try jpegFixture(name + ".jpg")
            for _ in 0..<150 {
                var bytes = original
                for _ in 0..<(1 + Int(generator.next() % 4)) {
                    let at = Int(generator.next() % UInt64(bytes.count))
                    switch generator.next() % 4 {
                    case 0: bytes[at] = UInt8(truncatingIfNeeded: generator.next())
                    case 1: bytes[at] ^= 1 << UInt8(generator.next() % 8)
                    case 2: bytes.remove(at: at)
                    default: bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: at)
                    }
                }
                if generator.next() % 8 == 0 { bytes = Array(bytes[..<Int(generator.next() % UInt64(bytes.count))]) }
                do {
                    let image = try JPEGDecoder.decode(bytes)
                    XCTAssertEqual(image.samples.count, image.width * image.height * image.color.channels)
                    decoded += 1
                } catch is JPEGError {
                    errors += 1
                }
            }
        }
        // Both outcomes occur: damage inside the compressed data often still decodes.
        XCTAssertGreaterThan(errors, 100)
        XCTAssertGreaterThan(decoded, 100)
    }
}
