import XCTest
import Compression
import SeededRandom

/// Packs bits least significant first, as deflate does, so tests can hand-make streams.
struct BitPacker {
    var bytes: [UInt8] = []
    var bitCount = 0
    /// Appends `value` as `count` bits, least significant first (header fields, extra bits).
    mutating func bits(_ value: Int, _ count: Int) {
        for i in 0..<count {
            if bitCount % 8 == 0 { bytes.append(0) }
            if (value >> i) & 1 == 1 { bytes[bytes.count - 1] |= UInt8(1 << (bitCount % 8)) }
            bitCount += 1
        }
    }
    /// Appends a Huffman code, most significant bit first.
    mutating func code(_ value: Int, _ length: Int) {
        for i in stride(from: length - 1, through: 0, by: -1) { bits((value >> i) & 1, 1) }
    }
}

/// Inflates with both decoders; they must agree on output and on errors.
func inflateBoth(_ stream: [UInt8], limit: Int = 1 << 20, file: StaticString = #filePath, line: UInt = #line) -> Result<[UInt8], InflateError> {
    func run(_ f: () throws -> [UInt8]) -> Result<[UInt8], InflateError> {
        do { return .success(try f()) } catch let e as InflateError { return .failure(e) } catch { fatalError("\(error)") }
    }
    let simple = run { try SimpleInflate.inflate(stream, limit: limit).output }
    let fast = run { try FastInflate.inflate(stream, limit: limit).output }
    XCTAssertEqual(simple, fast, "the two inflaters disagree", file: file, line: line)
    return fast
}

final class InflateTests: XCTestCase {
    func testStoredBlock() {
        let stream: [UInt8] = [0x01, 0x05, 0x00, 0xFA, 0xFF] + Array("hello".utf8)
        XCTAssertEqual(inflateBoth(stream), .success(Array("hello".utf8)))
    }

    func testFixedBlockFromZlib() {
        // zlib's raw deflate of "a": one fixed block.
        XCTAssertEqual(inflateBoth([0x4B, 0x04, 0x00]), .success([0x61]))
    }

    func testDynamicBlockFromZlib() throws {
        let output = try Zlib.decompress(Fixtures.zlibDynamic, limit: 1 << 20)
        XCTAssertEqual(output.count, Fixtures.zlibDynamicLength)
        XCTAssertEqual(CRC32.checksum(output), Fixtures.zlibDynamicCRC)
        let simple = try Zlib.decompress(Fixtures.zlibDynamic, limit: 1 << 20, useSimpleInflate: true)
        XCTAssertEqual(simple, output)
    }

    func testOverlappingMatchInFixedBlock() {
        // Literal 'a', then length 10 at distance 1: "aaaaaaaaaaa".
        var p = BitPacker()
        p.bits(1, 1); p.bits(1, 2)                 // final, fixed
        p.code(0x30 + 0x61, 8)                     // literal 'a' (0...143 are 0x30 + value, 8 bits)
        p.code(264 - 256, 7)                       // length symbol 264 = length 10
        p.code(0, 5)                               // distance symbol 0 = distance 1
        p.code(0, 7)                               // end of block
        XCTAssertEqual(inflateBoth(p.bytes), .success([UInt8](repeating: 0x61, count: 11)))
    }

    // MARK: - Each error, from a hand-made stream

    func testReservedBlockType() {
        XCTAssertEqual(inflateBoth([0x07]), .failure(.reservedBlockType))
    }

    func testStoredLengthMismatch() {
        XCTAssertEqual(inflateBoth([0x01, 0x05, 0x00, 0x00, 0x00]), .failure(.storedLengthMismatch))
    }

    func testTruncatedStoredBlock() {
        XCTAssertEqual(inflateBoth([0x01, 0x05, 0x00, 0xFA, 0xFF, 0x68]), .failure(.truncated))
    }

    func testTruncatedFixedBlock() {
        XCTAssertEqual(inflateBoth([0x4B]), .failure(.truncated))
        XCTAssertEqual(inflateBoth([]), .failure(.truncated))
    }

    func testNonFinalBlockThenNothing() {
        // A stored block that is not final, and no block after it.
        XCTAssertEqual(inflateBoth([0x00, 0x00, 0x00, 0xFF, 0xFF]), .failure(.truncated))
    }

    func testDistanceTooFarBack() {
        var p = BitPacker()
        p.bits(1, 1); p.bits(1, 2)
        p.code(1, 7)                               // length symbol 257 (length 3) at the very start
        p.code(0, 5)                               // distance 1, but nothing written yet
        p.code(0, 7)
        XCTAssertEqual(inflateBoth(p.bytes), .failure(.distanceTooFarBack(distance: 1, available: 0)))
    }

    func testInvalidLengthSymbol() {
        var p = BitPacker()
        p.bits(1, 1); p.bits(1, 2)
        p.code(0xC0 + (286 - 280), 8)              // symbol 286 exists in the fixed code but means nothing
        p.code(0, 7)
        XCTAssertEqual(inflateBoth(p.bytes), .failure(.invalidSymbol))
    }

    func testInvalidDistanceSymbol() {
        var p = BitPacker()
        p.bits(1, 1); p.bits(1, 2)
        p.code(0x30 + 0x61, 8)
        p.code(1, 7)                               // length 3
        p.code(30, 5)                              // distance symbol 30: invalid
        p.code(0, 7)
        XCTAssertEqual(inflateBoth(p.bytes), .failure(.invalidSymbol))
    }

    /// The start of a dynamic block: final bit, type 2, HLIT, HDIST, HCLEN and the code-length
    /// code lengths in the permuted order 16, 17, 18, 0, 8, ...
    func dynamicHeader(literals: Int = 257, distances: Int = 1, codeLengthLengths: [Int]) -> BitPacker {
        var p = BitPacker()
        p.bits(1, 1); p.bits(2, 2)
        p.bits(literals - 257, 5); p.bits(distances - 1, 5); p.bits(codeLengthLengths.count - 4, 4)
        for length in codeLengthLengths { p.bits(length, 3) }
        return p
    }

    func testTooManyLengthCodes() {
        var p = BitPacker()
        p.bits(1, 1); p.bits(2, 2); p.bits(30, 5); p.bits(0, 5); p.bits(0, 4)
        p.bits(0, 16)
        XCTAssertEqual(inflateBoth(p.bytes), .failure(.tooManyCodes))
    }

    func testOverSubscribedCodeLengthCode() {
        var p = dynamicHeader(codeLengthLengths: [1, 1, 1, 1])
        p.bits(0, 16)
        XCTAssertEqual(inflateBoth(p.bytes), .failure(.overSubscribedCode("code length")))
    }

    func testIncompleteCodeLengthCode() {
        var p = dynamicHeader(codeLengthLengths: [1, 0, 0, 0])
        p.bits(0, 16)
        XCTAssertEqual(inflateBoth(p.bytes), .failure(.incompleteCode("code length")))
    }

    func testRepeatWithoutPreviousLength() {
        // Code-length code: symbol 0 -> code 0, symbol 16 -> code 1 (both one bit).
        var p = dynamicHeader(codeLengthLengths: [1, 0, 0, 1])
        p.code(1, 1)                               // symbol 16 first
        p.bits(0, 2)
        p.bits(0, 16)
        XCTAssertEqual(inflateBoth(p.bytes), .failure(.repeatWithoutPreviousLength))
    }

    func testMissingEndOfBlock() {
        // Code-length code: symbol 0 -> code 0, symbol 18 -> code 1. Then 258 zeros.
        var p = dynamicHeader(codeLengthLengths: [0, 0, 1, 1])
        p.code(1, 1); p.bits(138 - 11, 7)
        p.code(1, 1); p.bits(120 - 11, 7)
        p.bits(0, 16)
        XCTAssertEqual(inflateBoth(p.bytes), .failure(.missingEndOfBlock))
    }

    func testTooManyCodeLengths() {
        var p = dynamicHeader(codeLengthLengths: [0, 0, 1, 1])
        p.code(1, 1); p.bits(138 - 11, 7)
        p.code(1, 1); p.bits(138 - 11, 7)
        p.bits(0, 16)
        XCTAssertEqual(inflateBoth(p.bytes), .failure(.tooManyCodeLengths))
    }

    func testOverSubscribedLiteralCode() {
        // Code-length code: symbol 0 -> 0, symbol 1 -> 1 (one bit each). Then four lengths of 1
        // (symbols 0, 1, 2 and 256 all one bit long: too many), zeros for the rest.
        var p = dynamicHeader(codeLengthLengths: [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
        for symbol in 0..<258 { p.code(symbol < 3 || symbol == 256 ? 1 : 0, 1) }
        p.bits(0, 16)
        XCTAssertEqual(inflateBoth(p.bytes), .failure(.overSubscribedCode("literal/length")))
    }

    func testOutputLimit() {
        let stream: [UInt8] = [0x01, 0x05, 0x00, 0xFA, 0xFF] + Array("hello".utf8)
        XCTAssertEqual(inflateBoth(stream, limit: 4), .failure(.outputLimitExceeded(limit: 4)))
        // A match that would run past the limit.
        let runs = Deflate.compress([UInt8](repeating: 7, count: 10_000))
        XCTAssertEqual(inflateBoth(runs, limit: 9_999), .failure(.outputLimitExceeded(limit: 9_999)))
        XCTAssertEqual(inflateBoth(runs, limit: 10_000), .success([UInt8](repeating: 7, count: 10_000)))
    }

    // MARK: - zlib wrapper

    func testZlibHeaderErrors() {
        XCTAssertThrowsError(try Zlib.decompress([0x78, 0x00, 0x03, 0x00], limit: 10)) {
            XCTAssertEqual($0 as? InflateError, .badZlibHeader)
        }
        XCTAssertThrowsError(try Zlib.decompress([0x78, 0xBB, 0, 0, 0, 0, 0x03, 0x00], limit: 10)) {
            XCTAssertEqual($0 as? InflateError, .presetDictionaryNotSupported)
        }
        XCTAssertThrowsError(try Zlib.decompress([0x78], limit: 10)) {
            XCTAssertEqual($0 as? InflateError, .truncated)
        }
    }

    func testZlibAdlerMismatchAndMissingTrailer() {
        var stream = Zlib.compress(Array("hello, hello, hello".utf8))
        XCTAssertEqual(try Zlib.decompress(stream, limit: 100), Array("hello, hello, hello".utf8))
        stream[stream.count - 1] ^= 1
        XCTAssertThrowsError(try Zlib.decompress(stream, limit: 100)) {
            guard case .adlerMismatch? = $0 as? InflateError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try Zlib.decompress(Array(stream.dropLast(2)), limit: 100)) {
            XCTAssertEqual($0 as? InflateError, .truncated)
        }
    }

    // MARK: - The two inflaters agree on damaged streams

    func testMutatedStreamsAgree() {
        var rng = SplitMix64(seed: 42)
        let original = Array(Fixtures.zlibDynamic.dropFirst(2).dropLast(4))
        for _ in 0..<300 {
            var stream = original
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let i = Int(rng.next() % UInt64(stream.count))
                stream[i] ^= UInt8(1 << (rng.next() % 8))
            }
            if rng.next() % 4 == 0 { stream = Array(stream.prefix(Int(rng.next() % UInt64(stream.count)))) }
            let simple = try? SimpleInflate.inflate(stream, limit: 1 << 16).output
            let fast = try? FastInflate.inflate(stream, limit: 1 << 16).output
            XCTAssertEqual(simple, fast)
        }
    }

    /// Cut short anywhere, intact or damaged, a stream gets the same answer from both inflaters:
    /// the same output or the same error. (Fuzzing (Fuzz/run inflate) found the fast one reporting
    /// errors in header fields it had read from the zero padding past the end, where the
    /// simple one says "truncated"; both now say "truncated" whenever the bits they used run
    /// past the end.) Also the example the fuzzer found, FD C4.
    func testTruncatedAndDamagedStreamsGetTheSameErrors() {
        XCTAssertEqual(inflateBoth([0xFD, 0xC4]), .failure(.truncated))
        var rng = SplitMix64(seed: 12)
        var text: [UInt8] = []
        for i in 0..<3000 { text.append(UInt8(truncatingIfNeeded: (i * i / 7) % 61 + 32)) }
        var streams = [Deflate.Level.fast, .default, .best].map { Array(Zlib.compress(text, level: $0).dropFirst(2).dropLast(4)) }
        streams.append(Array(Fixtures.zlibDynamic.dropFirst(2).dropLast(4)))
        var disagreements = 0, cases = 0
        for original in streams {
            for damage in 0..<4 {
                var stream = original
                for _ in 0..<damage {
                    let i = Int(rng.next() % UInt64(stream.count))
                    stream[i] ^= UInt8(1 << (rng.next() % 8))
                }
                for cut in stride(from: 0, through: stream.count, by: max(1, stream.count / 60)) {
                    let prefix = Array(stream.prefix(cut))
                    let simple = Result { try SimpleInflate.inflate(prefix, limit: 1 << 16).output }.mapError { $0 as! InflateError }
                    let fast = Result { try FastInflate.inflate(prefix, limit: 1 << 16).output }.mapError { $0 as! InflateError }
                    cases += 1
                    if simple != fast {
                        disagreements += 1
                        if disagreements <= 5 { print("cut \(cut) of \(stream.count): simple \(simple), fast \(fast)") }
                    }
                }
            }
        }
        XCTAssertEqual(disagreements, 0, "\(disagreements) of \(cases) disagree")
    }
}
