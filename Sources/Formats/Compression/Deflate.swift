// Deflate, the compressor (RFC 1951): LZ77 tokens from `LZ77`, then each block of tokens coded in
// whichever of the three block types is smallest: stored (section 3.2.4), fixed Huffman codes
// (3.2.6) or Huffman codes built for this block and sent in its header (3.2.7).

/// Writes bits least significant first, as deflate packs them (RFC 1951 section 3.1.1).
struct BitWriter {
    var bytes: [UInt8] = []
    var buffer: UInt64 = 0
    var count = 0

    @inline(__always)
    mutating func write(_ value: UInt32, _ bits: Int) {
        buffer |= UInt64(value) << UInt64(count)
        count += bits
        if count >= 32 {
            bytes.append(UInt8(truncatingIfNeeded: buffer))
            bytes.append(UInt8(truncatingIfNeeded: buffer >> 8))
            bytes.append(UInt8(truncatingIfNeeded: buffer >> 16))
            bytes.append(UInt8(truncatingIfNeeded: buffer >> 24))
            buffer >>= 32
            count -= 32
        }
    }

    /// Pads with zero bits to the next byte boundary.
    mutating func alignToByte() {
        while count > 0 {
            bytes.append(UInt8(truncatingIfNeeded: buffer))
            buffer >>= 8
            count = max(0, count - 8)
        }
        buffer = 0
    }
}

public enum Deflate {
    /// How hard the LZ77 stage looks for matches (zlib's levels 1, 6 and 9).
    public enum Level: Sendable {
        case fast, `default`, best
        var effort: LZ77Effort {
            switch self {
            case .fast: return .fast
            case .default: return .standard
            case .best: return .best
            }
        }
    }

    /// Tokens per block: after this many, the block's codes are sent and a new block starts,
    /// so the codes can follow changes in the data (zlib uses the same figure).
    static let tokensPerBlock = 16383

    /// Compresses `data` into a raw deflate stream.
    public static func compress(_ data: [UInt8], level: Level = .default) -> [UInt8] {
        var writer = BitWriter()
        writer.bytes.reserveCapacity(data.count / 2 + 64)
        data.withUnsafeBufferPointer { input in
            let tokens = LZ77.tokens(input, effort: level.effort)
            if tokens.isEmpty {
                writeFixedBlock(ArraySlice(tokens), last: true, to: &writer)
                return
            }
            var start = 0
            var inputOffset = 0
            while start < tokens.count {
                let end = min(start + tokensPerBlock, tokens.count)
                let block = tokens[start..<end]
                let inputLength = block.reduce(0) { $0 + ($1.length == 0 ? 1 : Int($1.length)) }
                writeBlock(block, input: UnsafeBufferPointer(rebasing: input[inputOffset..<inputOffset + inputLength]),
                           last: end == tokens.count, to: &writer)
                inputOffset += inputLength
                start = end
            }
        }
        writer.alignToByte()
        return writer.bytes
    }

    /// Symbol counts of one block: literal/length symbols 0...285 and distance symbols 0...29.
    struct Frequencies {
        var literals = [Int](repeating: 0, count: 286)
        var distances = [Int](repeating: 0, count: 30)
    }

    /// The literal/length symbol (257...285) and extra bits for a match length.
    @inline(__always)
    static func lengthSymbol(_ length: Int) -> (symbol: Int, extraBits: Int, extra: Int) {
        let index = lengthIndex[length]
        return (257 + index, DeflateTables.lengthExtra[index], length - DeflateTables.lengthBase[index])
    }
    /// `lengthIndex[len]`: which of the 29 length codes covers match length `len`.
    static let lengthIndex: [Int] = (0...258).map { length in
        guard length >= 3 else { return 0 }
        return DeflateTables.lengthBase.lastIndex { $0 <= length }!
    }

    /// The distance symbol (0...29) and extra bits for a match distance.
    @inline(__always)
    static func distanceSymbol(_ distance: Int) -> (symbol: Int, extraBits: Int, extra: Int) {
        var symbol = 0
        // Distances 1...4 are symbols 0...3; after that two symbols per power of two.
        if distance <= 4 {
            symbol = distance - 1
        } else {
            let d = distance - 1
            let topBit = (Int.bitWidth - 1) - d.leadingZeroBitCount
            symbol = 2 * topBit + ((d >> (topBit - 1)) & 1)
        }
        return (symbol, DeflateTables.distanceExtra[symbol], distance - DeflateTables.distanceBase[symbol])
    }

    static func frequencies(_ tokens: ArraySlice<LZ77Token>) -> Frequencies {
        var f = Frequencies()
        for token in tokens {
            if token.length == 0 {
                f.literals[Int(token.value)] += 1
            } else {
                f.literals[lengthSymbol(Int(token.length)).symbol] += 1
                f.distances[distanceSymbol(Int(token.value)).symbol] += 1
            }
        }
        f.literals[256] = 1
        return f
    }

    /// Bits to code the block's symbols (with extra bits) under the given code lengths.
    static func dataBits(_ f: Frequencies, literalLengths: [Int], distanceLengths: [Int]) -> Int {
        var bits = 0
        for symbol in 0..<286 where f.literals[symbol] > 0 {
            bits += f.literals[symbol] * literalLengths[symbol]
            if symbol >= 257 { bits += f.literals[symbol] * DeflateTables.lengthExtra[symbol - 257] }
        }
        for symbol in 0..<30 where f.distances[symbol] > 0 {
            bits += f.distances[symbol] * (distanceLengths[symbol] + DeflateTables.distanceExtra[symbol])
        }
        return bits
    }

    /// Chooses the cheapest coding for one block and writes it.
    static func writeBlock(_ tokens: ArraySlice<LZ77Token>, input: UnsafeBufferPointer<UInt8>, last: Bool,
                           to writer: inout BitWriter) {
        let f = frequencies(tokens)
        let literalLengths = HuffmanCodeBuilder.lengths(frequencies: f.literals, limit: 15)
        var distanceLengths = HuffmanCodeBuilder.lengths(frequencies: f.distances, limit: 15)
        // A block with no matches still sends one distance code (as zlib does).
        if distanceLengths.allSatisfy({ $0 == 0 }) { distanceLengths[0] = 1 }
        let header = DynamicHeader(literalLengths: literalLengths, distanceLengths: distanceLengths)

        let dynamicBits = 3 + header.bitCount + dataBits(f, literalLengths: literalLengths, distanceLengths: distanceLengths)
        let fixedBits = 3 + dataBits(f, literalLengths: DeflateTables.fixedLiteralLengths,
                                     distanceLengths: DeflateTables.fixedDistanceLengths)
        // Stored: header bits, padding to a byte, then 4 bytes of lengths per 65535 bytes.
        let storedBits = (3 + 7) + 8 * (input.count + 4 * max(1, (input.count + 65534) / 65535))

        if storedBits < fixedBits && storedBits < dynamicBits {
            writeStoredBlocks(input, last: last, to: &writer)
        } else if fixedBits <= dynamicBits {
            writeFixedBlock(tokens, last: last, to: &writer)
        } else {
            writer.write(last ? 1 : 0, 1)
            writer.write(2, 2)
            header.write(to: &writer)
            writeSymbols(tokens, literalLengths: literalLengths, distanceLengths: distanceLengths, to: &writer)
        }
    }

    static func writeFixedBlock(_ tokens: ArraySlice<LZ77Token>, last: Bool, to writer: inout BitWriter) {
        writer.write(last ? 1 : 0, 1)
        writer.write(1, 2)
        writeSymbols(tokens, literalLengths: DeflateTables.fixedLiteralLengths,
                     distanceLengths: DeflateTables.fixedDistanceLengths, to: &writer)
    }

    /// Stored blocks hold at most 65535 bytes each.
    static func writeStoredBlocks(_ input: UnsafeBufferPointer<UInt8>, last: Bool, to writer: inout BitWriter) {
        var offset = 0
        repeat {
            let length = min(65535, input.count - offset)
            let final = last && offset + length == input.count
            writer.write(final ? 1 : 0, 1)
            writer.write(0, 2)
            writer.alignToByte()
            writer.bytes += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            writer.bytes += input[offset..<offset + length]
            offset += length
        } while offset < input.count
    }

    /// Writes the tokens and the end-of-block symbol with the given codes.
    static func writeSymbols(_ tokens: ArraySlice<LZ77Token>, literalLengths: [Int], distanceLengths: [Int],
                             to writer: inout BitWriter) {
        let literalCodes = HuffmanCodeBuilder.reversedCodes(lengths: literalLengths)
        let distanceCodes = HuffmanCodeBuilder.reversedCodes(lengths: distanceLengths)
        for token in tokens {
            if token.length == 0 {
                let symbol = Int(token.value)
                writer.write(literalCodes[symbol], literalLengths[symbol])
            } else {
                let l = lengthSymbol(Int(token.length))
                writer.write(literalCodes[l.symbol], literalLengths[l.symbol])
                if l.extraBits > 0 { writer.write(UInt32(l.extra), l.extraBits) }
                let d = distanceSymbol(Int(token.value))
                writer.write(distanceCodes[d.symbol], distanceLengths[d.symbol])
                if d.extraBits > 0 { writer.write(UInt32(d.extra), d.extraBits) }
            }
        }
        writer.write(literalCodes[256], literalLengths[256])
    }
}

/// The header of a dynamic block (RFC 1951 section 3.2.7): the code lengths of both codes,
/// run-length coded with symbols 16, 17 and 18, themselves Huffman coded with the
/// code-length code, whose own lengths are sent first in a fixed, permuted order.
struct DynamicHeader {
    var literalCount: Int
    var distanceCount: Int
    /// The run-length symbols, each with its extra-bits value.
    var runs: [(symbol: Int, extra: Int)] = []
    var codeLengthLengths: [Int]
    var codeLengthCount: Int

    init(literalLengths: [Int], distanceLengths: [Int]) {
        // Trailing unused codes need not be sent (HLIT >= 257, HDIST >= 1).
        literalCount = 286
        while literalCount > 257 && literalLengths[literalCount - 1] == 0 { literalCount -= 1 }
        distanceCount = 30
        while distanceCount > 1 && distanceLengths[distanceCount - 1] == 0 { distanceCount -= 1 }
        let all = Array(literalLengths[0..<literalCount]) + Array(distanceLengths[0..<distanceCount])

        var i = 0
        while i < all.count {
            let length = all[i]
            var run = 1
            while i + run < all.count && all[i + run] == length { run += 1 }
            if length == 0 && run >= 3 {
                let take = min(run, 138)
                runs.append(take >= 11 ? (18, take - 11) : (17, take - 3))
                i += take
            } else if length != 0 && run >= 4 {
                // Send the length once, then repeat it 3...6 times with symbol 16.
                runs.append((length, 0))
                let take = min(run - 1, 6)
                runs.append((16, take - 3))
                i += 1 + take
            } else {
                runs.append((length, 0))
                i += 1
            }
        }
        var frequencies = [Int](repeating: 0, count: 19)
        for run in runs { frequencies[run.symbol] += 1 }
        // Inflaters insist that the code-length code is complete, which needs two symbols.
        if frequencies.filter({ $0 > 0 }).count < 2 { frequencies[frequencies[0] > 0 ? 1 : 0] += 1 }
        codeLengthLengths = HuffmanCodeBuilder.lengths(frequencies: frequencies, limit: 7)
        codeLengthCount = 19
        while codeLengthCount > 4 && codeLengthLengths[DeflateTables.codeLengthOrder[codeLengthCount - 1]] == 0 {
            codeLengthCount -= 1
        }
    }

    static let runExtraBits = [16: 2, 17: 3, 18: 7]

    /// The header's size in bits (without the three block-header bits).
    var bitCount: Int {
        var bits = 5 + 5 + 4 + 3 * codeLengthCount
        for run in runs { bits += codeLengthLengths[run.symbol] + (DynamicHeader.runExtraBits[run.symbol] ?? 0) }
        return bits
    }

    func write(to writer: inout BitWriter) {
        writer.write(UInt32(literalCount - 257), 5)
        writer.write(UInt32(distanceCount - 1), 5)
        writer.write(UInt32(codeLengthCount - 4), 4)
        for i in 0..<codeLengthCount {
            writer.write(UInt32(codeLengthLengths[DeflateTables.codeLengthOrder[i]]), 3)
        }
        let codes = HuffmanCodeBuilder.reversedCodes(lengths: codeLengthLengths)
        for run in runs {
            writer.write(codes[run.symbol], codeLengthLengths[run.symbol])
            if let extra = DynamicHeader.runExtraBits[run.symbol] { writer.write(UInt32(run.extra), extra) }
        }
    }
}
