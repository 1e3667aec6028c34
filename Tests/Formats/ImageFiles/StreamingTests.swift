import XCTest
import Foundation
import ImageFiles
import Compression
import SeededRandom

/// Reading and writing in pieces: the PNG decoder unfilters rows as the inflater hands them on,
/// and the Netpbm writers send their bytes to the file 64 Ki samples at a time.
final class StreamingTests: XCTestCase {
    /// An Adam7-interlaced PNG made by hand (filter type None on every row), as no encoder here writes one.
    func interlacedPNG(_ image: RasterImage) -> [UInt8] {
        var data: [UInt8] = []
        for pass in InterlacePass.adam7 {
            let (w, h) = pass.size(width: image.width, height: image.height)
            guard w > 0 && h > 0 else { continue }
            for y in 0..<h {
                data.append(0)
                for x in 0..<w {
                    for c in 0..<image.color.channels {
                        data.append(UInt8(image[pass.xStart + x * pass.xStep, pass.yStart + y * pass.yStep, c]))
                    }
                }
            }
        }
        return pngSignature + ihdr(width: image.width, height: image.height, colorType: 2, interlace: 1)
            + chunk("IDAT", Zlib.compress(data, level: .fast)) + chunk("IEND", [])
    }

    func testLargePNGsDecodeWhileInflating() throws {
        // Over a megabyte of rows each: more than the inflater's window, so it hands them on in
        // pieces, which split rows.
        let plain = testPicture(width: 640, height: 400, color: .rgba, maxValue: 65535, seed: 3)
        XCTAssertEqual(try PNGDecoder.decode(PNGEncoder.encode(plain, level: .fast)), plain)
        let interlaced = testPicture(width: 701, height: 503, color: .rgb, maxValue: 255, seed: 4)
        let file = interlacedPNG(interlaced)
        XCTAssertEqual(try PNGDecoder.decode(file), interlaced)
        // (The plain one's 2 MB of rows exceed the largest window, 1 MiB; check the other's pieces.)
        let idat = Array(file[(8 + 25 + 8)..<(file.count - 12 - 4)])
        var pieces = 0
        try Zlib.decompress(idat, limit: 1 << 30) { _ in pieces += 1 }
        XCTAssertGreaterThan(pieces, 1)
    }

    func testErrorsFoundWhileStreaming() throws {
        // Short image data: the last rows never arrive.
        var rng = SplitMix64(seed: 8)
        let rows = (0..<1000).map { $0 % 901 == 0 ? 0 : UInt8(truncatingIfNeeded: rng.next()) }   // filter None, noise
        let short = pngSignature + ihdr(width: 300, height: 200, colorType: 2) + chunk("IDAT", Zlib.compress(rows)) + chunk("IEND", [])
        XCTAssertThrowsError(try PNGDecoder.decode(short)) {
            XCTAssertEqual($0 as? PNGError, .imageDataTooShort(expected: 200 * 901, actual: 1000))
        }
        // A bad filter type on a later row (the byte at the start of pass 2's first row).
        let data = [UInt8](repeating: 0, count: 200 * 901)
        var bad = data
        bad[5 * 901] = 9
        let badFile = pngSignature + ihdr(width: 300, height: 200, colorType: 2) + chunk("IDAT", Zlib.compress(bad)) + chunk("IEND", [])
        XCTAssertThrowsError(try PNGDecoder.decode(badFile)) { XCTAssertEqual($0 as? PNGError, .badFilterType(9, row: 5)) }
        // Too much data: the inflater stops at the size the header implies.
        let long = pngSignature + ihdr(width: 300, height: 200, colorType: 2) + chunk("IDAT", Zlib.compress(data + [0])) + chunk("IEND", [])
        XCTAssertThrowsError(try PNGDecoder.decode(long)) {
            XCTAssertEqual($0 as? PNGError, .compressedData(.outputLimitExceeded(limit: 200 * 901)))
        }
    }

    func testDataTooSmallForTheImageIsRefusedBeforeAllocating() {
        // 30000 x 2000 gray needs 60,002,000 bytes of rows; 30 bytes of deflate cannot hold them.
        let file = pngSignature + ihdr(width: 30000, height: 2000) + chunk("IDAT", Zlib.compress([0, 0, 0])) + chunk("IEND", [])
        XCTAssertThrowsError(try PNGDecoder.decode(file)) {
            guard case .compressedDataTooSmall(_, let needed)? = $0 as? PNGError else { return XCTFail("\($0)") }
            XCTAssertEqual(needed, 2000 * 30001)
        }
    }

    func testNetpbmWritersAcrossPieces() throws {
        // More than 16384 pixels, so the writers send several pieces; 8 and 16 bits.
        for maxValue in [255, 1000, 65535] {
            let image = testPicture(width: 311, height: 157, color: .rgb, maxValue: maxValue, seed: 6)
            XCTAssertEqual(try Netpbm.decode(Netpbm.encodePAM(image)), image)
            XCTAssertEqual(try Netpbm.decode(Netpbm.encodePPM(image)), image)
            var pieces = 0
            Netpbm.writePAM(image) { _ in pieces += 1 }
            XCTAssertEqual(pieces, 1 + (image.width * image.height + 16383) / 16384, "header, then 16 Ki pixels a piece")
            // Converting piece by piece gives what converting the whole picture gives.
            let gray = testPicture(width: 311, height: 157, color: .grayAlpha, maxValue: maxValue, seed: 9)
            XCTAssertEqual(try Netpbm.decode(Netpbm.encodePPM(gray)), gray.converted(to: .rgb))
            XCTAssertEqual(try Netpbm.decode(Netpbm.encodePGM(image)), image.converted(to: .gray))
        }
    }

    func testImageFileWritesAtomicallyAndReadsBack() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("streaming-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = testPicture(width: 400, height: 300, color: .rgba, maxValue: 65535, seed: 7)
        let path = folder.appendingPathComponent("picture.pam").path
        try ImageFile.write(image, to: path)
        XCTAssertEqual(try ImageFile.readBytes(path), Netpbm.encodePAM(image))
        XCTAssertEqual(try ImageFile.read(path), image)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["picture.pam"], "no temporary file left")
        // A folder that does not exist: a clear error, nothing written.
        XCTAssertThrowsError(try ImageFile.write(image, to: folder.appendingPathComponent("missing/picture.pam").path)) {
            guard case .cannotWrite? = $0 as? ImageFileError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try ImageFile.readBytes(folder.path)) {
            XCTAssertEqual($0 as? ImageFileError, .cannotRead(path: folder.path, reason: "not a readable file"))
        }
        XCTAssertThrowsError(try ImageFile.readBytes(folder.appendingPathComponent("absent.png").path)) {
            guard case .cannotRead(_, "no such file")? = $0 as? ImageFileError else { return XCTFail("\($0)") }
        }
    }
}

final class MemoryCheckTests: XCTestCase {
    func testMemoryAHeaderAsksForIsCheckedBeforeDecoding() {
        XCTAssertNoThrow(try ImageLimits.checkMemory(bytes: 1 << 20))
        // 2^62 bytes exist on no machine: a one-line error, not a crash.
        XCTAssertThrowsError(try ImageLimits.checkMemory(bytes: 1 << 62)) {
            XCTAssertEqual($0 as? ImageFileError, .notEnoughMemory(bytes: 1 << 62))
        }
    }
}
