// Huffman coding in JPEG (ITU T.81, annex C and section F.2.2.3).
//
// A DHT segment does not store codes. It stores, for each code length 1...16, how many codes
// have that length, then the symbols in order of increasing code. The codes themselves follow
// from the counts ("canonical" codes): the first code of length 1 is 0; each next code is the
// previous one plus 1, and moving to a longer length appends a 0 bit. A symbol is one byte:
// for a DC coefficient the number of extra bits of the difference that follows (its "size"),
// for an AC coefficient a run of zeros in the high four bits and a size in the low four.

/// One decoding table, built from a DHT segment's counts and symbols. (A class, so that the
/// decoder hands the same table from block to block without copying its arrays.)
final class JPEGHuffmanTable: Sendable {
    /// How many bits the lookup table reads at once. Most codes in photographs are shorter.
    static let lookupBits = 9

    /// For each `lookupBits`-bit prefix of the input: the code length in the high byte and the
    /// symbol in the low byte, or 0 when the code is longer than `lookupBits`.
    let lookup: [UInt16]
    /// For each length 1...16, the largest code of that length plus one (0 when none), and the
    /// index in `symbols` of the first code of that length, minus that code.
    private let limit: [Int32]
    private let symbolOffset: [Int32]
    private let symbols: [UInt8]

    /// Builds the table; `counts[l]` is the number of codes of length `l + 1`.
    init(counts: [Int], symbols: [UInt8]) throws {
        precondition(counts.count == 16)
        guard counts.reduce(0, +) == symbols.count else { throw JPEGError.badSegment(marker: "DHT", reason: "symbol count does not match the code counts") }
        guard symbols.count <= 256 else { throw JPEGError.badSegment(marker: "DHT", reason: "more than 256 codes") }
        self.symbols = symbols
        var lookup = [UInt16](repeating: 0, count: 1 << Self.lookupBits)
        var limit = [Int32](repeating: 0, count: 17)
        var symbolOffset = [Int32](repeating: 0, count: 17)
        var code = 0, index = 0
        for length in 1...16 {
            let n = counts[length - 1]
            // A code of length l must fit in l bits, and the all-ones code of each length is
            // reserved (T.81 annex C), so after the last code of length l, code <= 2^l - 1.
            guard code + n <= (1 << length) - 1 else {
                throw JPEGError.badSegment(marker: "DHT", reason: "the counts declare more codes of length \(length) than fit")
            }
            symbolOffset[length] = Int32(index - code)
            for _ in 0..<n {
                if length <= Self.lookupBits {
                    // Every lookupBits-bit string that starts with this code decodes to it.
                    let shift = Self.lookupBits - length
                    for fill in 0..<(1 << shift) {
                        lookup[(code << shift) | fill] = UInt16(length << 8) | UInt16(symbols[index])
                    }
                }
                code += 1
                index += 1
            }
            limit[length] = n > 0 ? Int32(code) : 0
            code <<= 1
        }
        self.lookup = lookup
        self.limit = limit
        self.symbolOffset = symbolOffset
    }

    /// The symbol whose code starts the 16 bits `peek` (most significant bit first), and the
    /// code's length; nil when no code matches (the remaining codes of the table are unused).
    @inline(__always)
    func decode(peek: UInt32) -> (symbol: UInt8, length: Int)? {
        let entry = lookup[Int(peek >> UInt32(16 - Self.lookupBits))]
        if entry != 0 { return (UInt8(truncatingIfNeeded: entry), Int(entry >> 8)) }
        return decodeLong(peek: peek)
    }

    /// The canonical decoding of T.81 figure F.16, for codes longer than the lookup table.
    private func decodeLong(peek: UInt32) -> (symbol: UInt8, length: Int)? {
        for length in (Self.lookupBits + 1)...16 {
            let code = Int32(peek >> UInt32(16 - length))
            if code < limit[length] {
                let index = Int(symbolOffset[length] + code)
                guard index >= 0 && index < symbols.count else { return nil }
                return (symbols[index], length)
            }
        }
        return nil
    }
}
