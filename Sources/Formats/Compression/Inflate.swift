// Inflate, written to explain the format rather than to be fast: a direct reading of RFC 1951
// ("DEFLATE Compressed Data Format Specification version 1.3") in the spirit of Mark Adler's
// puff.c. The table-driven `FastInflate` beside it does the same work quickly; the tests check
// that both give identical answers, errors included.
//
// A deflate stream is a sequence of blocks. Each starts with three header bits: BFINAL (is this
// the last block?) and BTYPE (how it is coded: 0 stored, 1 fixed Huffman, 2 dynamic Huffman).
// Compressed blocks hold symbols: literal bytes 0...255, end-of-block 256, and lengths
// 257...285 which are followed by a distance symbol; the pair means "copy `length` bytes
// starting `distance` bytes back in the output" (LZ77).

/// The plain, readable inflater. Use `Inflate.inflate` in practice: it runs the fast one.
public struct SimpleInflate {
    /// Inflates the raw deflate stream `input`, producing at most `limit` bytes.
    /// Returns the output and the number of input bytes the stream occupied.
    public static func inflate(_ input: [UInt8], limit: Int) throws -> (output: [UInt8], consumed: Int) {
        var state = SimpleInflate(input: input, limit: limit)
        try state.run()
        return (state.output, state.position)
    }

    let input: [UInt8]
    let limit: Int
    var output: [UInt8] = []
    /// Next input byte to load into the bit buffer.
    var position = 0
    /// Bits not yet used, least significant first (RFC 1951 section 3.1.1: data elements are
    /// packed starting with the least significant bit of each byte).
    var bitBuffer = 0
    var bitCount = 0

    init(input: [UInt8], limit: Int) {
        self.input = input
        self.limit = limit
    }

    /// Takes `need` bits from the stream (puff's `bits`): loads bytes as needed.
    mutating func bits(_ need: Int) throws -> Int {
        var value = bitBuffer
        while bitCount < need {
            guard position < input.count else { throw InflateError.truncated }
            value |= Int(input[position]) << bitCount
            position += 1
            bitCount += 8
        }
        bitBuffer = value >> need
        bitCount -= need
        return value & ((1 << need) - 1)
    }

    /// Reads blocks until the one marked final (section 3.2.3).
    mutating func run() throws {
        var last = false
        repeat {
            last = try bits(1) == 1
            switch try bits(2) {
            case 0: try stored()
            case 1: try fixed()
            case 2: try dynamic()
            default: throw InflateError.reservedBlockType
            }
        } while !last
    }

    /// A stored block (section 3.2.4): skip to a byte boundary, then LEN, its complement NLEN,
    /// and LEN bytes copied as they are.
    mutating func stored() throws {
        bitBuffer = 0
        bitCount = 0
        guard position + 4 <= input.count else { throw InflateError.truncated }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
        position += 4
        guard length == (~complement & 0xFFFF) else { throw InflateError.storedLengthMismatch }
        guard position + length <= input.count else { throw InflateError.truncated }
        guard output.count + length <= limit else { throw InflateError.outputLimitExceeded(limit: limit) }
        output.append(contentsOf: input[position..<position + length])
        position += length
    }

    /// A block coded with the fixed Huffman codes of section 3.2.6.
    mutating func fixed() throws {
        let lengthCode = try Huffman(lengths: DeflateTables.fixedLiteralLengths, name: "literal/length")
        let distanceCode = try Huffman(lengths: DeflateTables.fixedDistanceLengths, name: "distance")
        try codes(lengthCode, distanceCode)
    }

    /// A block that first describes its own Huffman codes (section 3.2.7). The header gives
    /// HLIT, HDIST and HCLEN; then the lengths of the code-length code; then, coded with that
    /// code, the lengths of the literal/length and distance codes, with run-length symbols
    /// 16 (repeat the previous length 3-6 times), 17 (3-10 zeros) and 18 (11-138 zeros).
    mutating func dynamic() throws {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeLengthCount = try bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw InflateError.tooManyCodes }

        var codeLengthLengths = [Int](repeating: 0, count: 19)
        for i in 0..<codeLengthCount {
            codeLengthLengths[DeflateTables.codeLengthOrder[i]] = try bits(3)
        }
        let codeLengthCode = try Huffman(lengths: codeLengthLengths, name: "code length")
        guard codeLengthCode.left == 0 else { throw InflateError.incompleteCode("code length") }

        var lengths: [Int] = []
        while lengths.count < literalCount + distanceCount {
            let symbol = try decode(codeLengthCode)
            if symbol < 16 {
                lengths.append(symbol)
                continue
            }
            var repeated = 0
            var count: Int
            switch symbol {
            case 16:
                guard let previous = lengths.last else { throw InflateError.repeatWithoutPreviousLength }
                repeated = previous
                count = 3 + (try bits(2))
            case 17: count = 3 + (try bits(3))
            default: count = 11 + (try bits(7))
            }
            guard lengths.count + count <= literalCount + distanceCount else {
                throw InflateError.tooManyCodeLengths
            }
            lengths.append(contentsOf: repeatElement(repeated, count: count))
        }
        guard lengths[256] != 0 else { throw InflateError.missingEndOfBlock }

        let lengthCode = try Huffman(lengths: Array(lengths[0..<literalCount]), name: "literal/length")
        // An incomplete code is only allowed when it is a single code of one bit.
        if lengthCode.left > 0 && literalCount != lengthCode.count[0] + lengthCode.count[1] {
            throw InflateError.incompleteCode("literal/length")
        }
        let distanceCode = try Huffman(lengths: Array(lengths[literalCount...]), name: "distance")
        if distanceCode.left > 0 && distanceCount != distanceCode.count[0] + distanceCode.count[1] {
            throw InflateError.incompleteCode("distance")
        }
        try codes(lengthCode, distanceCode)
    }

    /// Decodes symbols until end-of-block: literals are appended, length/distance pairs copy
    /// earlier output (which may overlap what is being written, as in "abababab").
    mutating func codes(_ lengthCode: Huffman, _ distanceCode: Huffman) throws {
        while true {
            let symbol = try decode(lengthCode)
            if symbol < 256 {
                guard output.count < limit else { throw InflateError.outputLimitExceeded(limit: limit) }
                output.append(UInt8(symbol))
            } else if symbol == 256 {
                return
            } else {
                let index = symbol - 257
                guard index < 29 else { throw InflateError.invalidSymbol }
                let length = DeflateTables.lengthBase[index] + (try bits(DeflateTables.lengthExtra[index]))
                let distanceSymbol = try decode(distanceCode)
                guard distanceSymbol < 30 else { throw InflateError.invalidSymbol }
                let distance = DeflateTables.distanceBase[distanceSymbol]
                    + (try bits(DeflateTables.distanceExtra[distanceSymbol]))
                guard distance <= output.count else {
                    throw InflateError.distanceTooFarBack(distance: distance, available: output.count)
                }
                guard output.count + length <= limit else { throw InflateError.outputLimitExceeded(limit: limit) }
                for _ in 0..<length { output.append(output[output.count - distance]) }
            }
        }
    }

    /// Decodes one symbol a bit at a time (puff's slow `decode`). Huffman codes are packed
    /// starting with their most significant bit, so each new bit is appended on the right.
    /// `first` is the first code of the current length and `index` the number of symbols with
    /// shorter codes; when `code - first` falls below the count of this length, we have it.
    mutating func decode(_ huffman: Huffman) throws -> Int {
        var code = 0, first = 0, index = 0
        for length in 1...15 {
            code |= try bits(1)
            let count = huffman.count[length]
            if code - count < first { return huffman.symbol[index + (code - first)] }
            index += count
            first += count
            first <<= 1
            code <<= 1
        }
        throw InflateError.invalidSymbol
    }
}

/// A canonical Huffman code (RFC 1951 section 3.2.2), described the way puff does: how many
/// codes there are of each length, and the symbols ordered by code.
struct Huffman {
    /// `count[len]` is the number of symbols whose code is `len` bits long.
    var count = [Int](repeating: 0, count: 16)
    /// The symbols in canonical order: by code length, then by symbol value.
    var symbol: [Int] = []
    /// How many codes of the longest length are still unused: 0 means complete.
    var left = 0

    /// Builds the code from each symbol's length (0 means the symbol is not used). Throws if
    /// the lengths promise more codes than exist (an over-subscribed code).
    init(lengths: [Int], name: String) throws {
        for length in lengths { count[length] += 1 }
        left = 1
        for length in 1...15 {
            left <<= 1
            left -= count[length]
            if left < 0 { throw InflateError.overSubscribedCode(name) }
        }
        if count[0] == lengths.count { left = 0; return }  // no codes at all: nothing to decode
        var offsets = [Int](repeating: 0, count: 16)
        for length in 1..<15 { offsets[length + 1] = offsets[length] + count[length] }
        symbol = [Int](repeating: 0, count: lengths.count)
        for (value, length) in lengths.enumerated() where length != 0 {
            symbol[offsets[length]] = value
            offsets[length] += 1
        }
    }
}
