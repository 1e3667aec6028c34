import XCTest
import SeededRandom
import ImageFiles
import Pictures
import Compression

final class PNGTests: XCTestCase {
    // MARK: - The PngSuite (a test resource)

    func testPngSuiteValidImagesDecodeExactly() throws {
        let dir = pngSuiteDirectory
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".png") && !$0.hasPrefix("x") }
        XCTAssertEqual(files.count, 161)
        var exact = 0
        for name in files.sorted() {
            guard let expected = pngSuiteReference[name] else { XCTFail("no reference for \(name)"); continue }
            do {
                let image = try ImageFile.read(dir + "/" + name)
                XCTAssertEqual(image.width, expected.width, name)
                XCTAssertEqual(image.height, expected.height, name)
                XCTAssertEqual(image.color, expected.color, name)
                XCTAssertEqual(image.maxValue, expected.maxValue, name)
                XCTAssertEqual(SHA256.hex(sampleBytes(image)), expected.sha256, "pixels of \(name)")
                if SHA256.hex(sampleBytes(image)) == expected.sha256 && image.color == expected.color { exact += 1 }
            } catch {
                XCTFail("\(name): \(error)")
            }
        }
        XCTAssertEqual(exact, 161)
    }

    func testPngSuiteCorruptImagesAreRejected() throws {
        let dir = pngSuiteDirectory
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("x") && $0.hasSuffix(".png") }
        XCTAssertEqual(files.count, 14)
        for name in files {
            XCTAssertThrowsError(try ImageFile.read(dir + "/" + name), name) { error in
                XCTAssertFalse("\(error)".isEmpty)
            }
        }
        // A few whose problem we know exactly.
        XCTAssertThrowsError(try ImageFile.read(dir + "/xcsn0g01.png")) {
            XCTAssertEqual($0 as? PNGError, .badCRC(chunk: "IDAT", offset: 49))
        }
        XCTAssertThrowsError(try ImageFile.read(dir + "/xs1n0g01.png")) { XCTAssertEqual($0 as? PNGError, .badSignature) }
        XCTAssertThrowsError(try ImageFile.read(dir + "/xdtn0g01.png")) { XCTAssertEqual($0 as? PNGError, .missingImageData) }
        XCTAssertThrowsError(try ImageFile.read(dir + "/xc9n2c08.png")) { XCTAssertEqual($0 as? PNGError, .badHeader("colour type 9")) }
    }

    func testPngSuiteRoundTripsThroughOurEncoder() throws {
        let dir = pngSuiteDirectory
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) where name.hasSuffix(".png") && !name.hasPrefix("x") {
            let image = try ImageFile.read(dir + "/" + name)
            XCTAssertEqual(try PNGDecoder.decode(PNGEncoder.encode(image)), image, name)
        }
    }

    // MARK: - Self-contained round trips

    func testEncoderRoundTripsEveryLayoutAndDepth() throws {
        for color in ColorModel.allCases {
            for maxValue in [255, 65535] {
                for (w, h) in [(1, 1), (7, 3), (33, 17)] {
                    let image = testPicture(width: w, height: h, color: color, maxValue: maxValue)
                    let decoded = try PNGDecoder.decode(PNGEncoder.encode(image))
                    XCTAssertEqual(decoded, image, "\(color) \(maxValue) \(w)x\(h)")
                }
            }
        }
    }

    func testSmoothImagesCompress() {
        // Smooth gradients filter to near-constant rows, which deflate shrinks a lot.
        let image = testPicture(width: 128, height: 128, color: .rgb, maxValue: 255, noise: false)
        let png = PNGEncoder.encode(image)
        XCTAssertLessThan(png.count, image.samples.count / 20)
    }

    // MARK: - Hand-made files, one per error

    /// An 8x1 gray image with one zero-filtered row.
    func validGrayFile() -> [UInt8] {
        pngSignature + ihdr(width: 8, height: 1) + chunk("IDAT", Zlib.compress([0] + [UInt8](0..<8))) + chunk("IEND", [])
    }

    func testHandMadeValidFile() throws {
        let image = try PNGDecoder.decode(validGrayFile())
        XCTAssertEqual(image.samples, (0..<8).map { UInt16($0) })
    }

    func testErrors() {
        func expect(_ bytes: [UInt8], _ error: PNGError, line: UInt = #line) {
            XCTAssertThrowsError(try PNGDecoder.decode(bytes), line: line) { XCTAssertEqual($0 as? PNGError, error, line: line) }
        }
        let idat = chunk("IDAT", Zlib.compress([0] + [UInt8](0..<8)))
        let end = chunk("IEND", [])
        expect(Array("GIF89a".utf8), .badSignature)
        var badCRC = validGrayFile()
        badCRC[8 + 8 + 3] ^= 1   // a byte of IHDR's data
        expect(badCRC, .badCRC(chunk: "IHDR", offset: 8))
        expect(pngSignature + chunk("IDAT", []) + end, .firstChunkNotIHDR)
        expect(pngSignature + ihdr(width: 8, height: 1) + end, .missingImageData)
        expect(pngSignature + ihdr(width: 8, height: 1) + idat, .missingEnd)
        expect(pngSignature + ihdr(width: 8, height: 1) + chunk("ABCD", []) + idat + end, .unknownCriticalChunk("ABCD"))
        expect(pngSignature + ihdr(width: 8, height: 1) + idat + chunk("tEXt", []) + idat + end, .nonConsecutiveImageData)
        expect(pngSignature + ihdr(width: 0, height: 1) + idat + end, .badHeader("width and height must be 1 to 2^31-1, got 0x1"))
        expect(pngSignature + ihdr(width: 8, height: 1, bitDepth: 3) + idat + end, .badHeader("bit depth 3 with colour type 0"))
        expect(pngSignature + ihdr(width: 8, height: 1, colorType: 1) + idat + end, .badHeader("colour type 1"))
        expect(pngSignature + ihdr(width: 100_000, height: 1) + idat + end, .dimensionsTooLarge(width: 100_000, height: 1))
        expect(pngSignature + ihdr(width: 20_000, height: 20_000) + idat + end, .dimensionsTooLarge(width: 20_000, height: 20_000))
        expect(pngSignature + ihdr(width: 8, height: 1, colorType: 3) + idat + end, .missingPalette)
        expect(pngSignature + ihdr(width: 8, height: 1, colorType: 3) + chunk("PLTE", [1, 2]) + idat + end,
               .badPalette("length 2 is not 3 to 768 and a multiple of 3"))
        expect(pngSignature + ihdr(width: 8, height: 1, colorType: 3) + chunk("PLTE", [1, 2, 3]) + idat + end,
               .paletteIndexOutOfRange(1))
        expect(pngSignature + ihdr(width: 8, height: 1) + chunk("tRNS", [0]) + idat + end, .badTransparency("gray key must be 2 bytes"))
        expect(pngSignature + ihdr(width: 8, height: 1) + chunk("IDAT", Zlib.compress([5] + [UInt8](0..<8))) + end,
               .badFilterType(5, row: 0))
        expect(pngSignature + ihdr(width: 8, height: 2) + idat + end, .imageDataTooShort(expected: 18, actual: 9))
        expect(pngSignature + ihdr(width: 4, height: 1) + idat + end, .compressedData(.outputLimitExceeded(limit: 5)))
        expect(pngSignature + ihdr(width: 8, height: 1) + chunk("IDAT", [0x78, 0x9C, 0xFF]) + end, .compressedData(.reservedBlockType))
        // A chunk length far beyond the file.
        expect(pngSignature + [0x7F, 0xFF, 0xFF, 0xFF] + Array("IHDR".utf8), .chunkTooLong(chunk: "IHDR", offset: 8))
        expect(pngSignature + [0, 0, 0, 13] + [0x49, 0x48, 0x44, 0x31] + [UInt8](repeating: 0, count: 17), .badChunkType(offset: 8))
    }

    /// Every prefix of a valid file, cut at each chunk boundary and inside chunks, is rejected.
    func testTruncatedFilesAreRejected() throws {
        var files = [PNGEncoder.encode(testPicture(width: 40, height: 30, color: .rgba, maxValue: 255))]
        do {
            let dir = pngSuiteDirectory
            for name in ["basi3p08.png", "basn6a16.png", "tbbn0g04.png", "s07i3p02.png"] {
                files.append([UInt8](FileManager.default.contents(atPath: dir + "/" + name)!))
            }
        }
        for file in files {
            for length in 0..<file.count {
                XCTAssertThrowsError(try PNGDecoder.decode(Array(file.prefix(length))), "prefix \(length)")
            }
        }
    }

    /// Seeded random damage to valid files: each result decodes or fails cleanly, never crashes
    /// or hangs. (A crash would stop the test run.)
    func testRandomMutationsNeverCrash() throws {
        var files = [PNGEncoder.encode(testPicture(width: 24, height: 20, color: .rgb, maxValue: 255)),
                     PNGEncoder.encode(testPicture(width: 9, height: 13, color: .grayAlpha, maxValue: 65535))]
        do {
            let dir = pngSuiteDirectory
            for name in ["basi0g01.png", "basi3p04.png", "basn2c16.png", "tp1n3p08.png", "oi9n2c16.png", "z09n2c08.png"] {
                files.append([UInt8](FileManager.default.contents(atPath: dir + "/" + name)!))
            }
        }
        var rng = SplitMix64(seed: 2024)
        var rejected = 0, total = 0
        for file in files {
            for _ in 0..<250 {
                var bytes = file
                for _ in 0..<(1 + Int(rng.next() % 3)) {
                    let i = Int(rng.next() % UInt64(bytes.count))
                    switch rng.next() % 3 {
                    case 0: bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                    case 1: bytes[i] ^= 1 << UInt8(rng.next() % 8)
                    default: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: i)
                    }
                }
                total += 1
                if (try? PNGDecoder.decode(bytes)) == nil { rejected += 1 }
            }
        }
        // CRCs catch almost every change; a change in an ancillary chunk's padding may pass.
        XCTAssertGreaterThan(rejected, total * 9 / 10)
    }

    /// The same, with every chunk's CRC recomputed after the damage, so the changes reach the
    /// decoder's header checks, inflate, unfiltering and palette lookups instead of stopping at a
    /// CRC. Whatever decodes must survive a round trip through the encoder.
    func testRandomMutationsBehindValidCRCsNeverCrash() throws {
        var files = [PNGEncoder.encode(testPicture(width: 17, height: 11, color: .rgba, maxValue: 65535)),
                     PNGEncoder.encode(testPicture(width: 12, height: 9, color: .gray, maxValue: 255))]
        do {
            let dir = pngSuiteDirectory
            for name in ["basi3p02.png", "basi4a16.png", "tbbn3p08.png", "s09i3p02.png", "f04n2c08.png", "basn0g01.png"] {
                files.append([UInt8](FileManager.default.contents(atPath: dir + "/" + name)!))
            }
        }
        var rng = SplitMix64(seed: 7)
        var decoded = 0
        for n in 0..<4000 {
            var bytes = files[n % files.count]
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let i = 8 + Int(rng.next() % UInt64(bytes.count - 8))
                bytes[i] = rng.next() % 2 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : bytes[i] ^ (1 << UInt8(rng.next() % 8))
            }
            // Recompute each chunk's CRC where the (possibly damaged) lengths still allow.
            var p = 8
            while p + 12 <= bytes.count {
                let length = Int(bytes[p]) << 24 | Int(bytes[p + 1]) << 16 | Int(bytes[p + 2]) << 8 | Int(bytes[p + 3])
                guard p + 12 + length <= bytes.count else { break }
                let crc = CRC32.checksum(bytes, (p + 4)..<(p + 8 + length))
                for k in 0..<4 { bytes[p + 8 + length + k] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * UInt32(k))) }
                p += 12 + length
            }
            if let image = try? PNGDecoder.decode(bytes) {
                decoded += 1
                XCTAssertEqual(try PNGDecoder.decode(PNGEncoder.encode(image)), image)
            }
        }
        // Some damage is harmless (a changed pixel inside a stored block, a changed palette colour).
        XCTAssertGreaterThan(decoded, 0)
    }
}
