// Huffman coding in JPEG (ITU T.81, annex C and section F.2.2.3).
//
// A DHT segment does not store codes. It stores, for each code length 1...16, how many codes
// have that length, then the symbols in order of increasing code. The codes themselves follow
// from the counts ("canonical" codes): the first code of length 1 is 0; each next code is the
// previous one plus 1, and moving to a longer length appends a 0 bit. A symbol is one byte:
// for a DC coefficient the number of extra bits of the difference that follows (its "size"),
// for an AC coefficient a run of zeros in the high four bits and a size in the low four.

/// One decoding table, built from a DHT segment's counts and symbols. The tables live in
/// memory of their own, and the scan decoder reads them through `Lookup`, a plain view with no
/// reference counting, so that decoding a block costs no retain or release; the decoder keeps
/// the table itself alive for as long as it uses the view.
final class JPEGHuffmanTable: @unchecked Sendable {
    /// How many bits the lookup table reads at once. Most codes in photographs are shorter.
    static let lookupBits = 9

    /// For each `lookupBits`-bit prefix of the input: the code length in the high byte and the
    /// symbol in the low byte, or 0 when the code is longer than `lookupBits`.
    private let lookup: UnsafeMutableBufferPointer<UInt16>
    /// For AC tables, a second lookup that goes one step further (as stb_image does): when a
    /// prefix holds a whole code and the value bits after it, and the value fits in a byte,
    /// the entry is value << 8 | run << 4 | (bits used); 0 otherwise. Most AC coefficients of a
    /// photograph are small and decode with this single lookup.
    private let coefficientLookup: UnsafeMutableBufferPointer<Int16>
    /// For each length 1...16 (index 0 unused): the largest code of that length plus one (0 when
    /// none), and the index in `symbols` of the first code of that length, minus that code.
    private let limit: UnsafeMutableBufferPointer<Int32>
    private let symbolOffset: UnsafeMutableBufferPointer<Int32>
    private let symbols: UnsafeMutableBufferPointer<UInt8>

    /// Builds the table; `counts[l]` is the number of codes of length `l + 1`.
    init(counts: [Int], symbols: [UInt8]) throws {
        precondition(counts.count == 16)
        guard counts.reduce(0, +) == symbols.count else { throw JPEGError.badSegment(marker: "DHT", reason: "symbol count does not match the code counts") }
        guard symbols.count <= 256 else { throw JPEGError.badSegment(marker: "DHT", reason: "more than 256 codes") }
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
        func copy<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
            let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, array.count))
            _ = buffer.initialize(from: array)
            return buffer
        }
        var coefficientLookup = [Int16](repeating: 0, count: 1 << Self.lookupBits)
        for prefix in 0..<(1 << Self.lookupBits) where lookup[prefix] != 0 {
            let length = Int(lookup[prefix] >> 8), symbol = Int(lookup[prefix] & 255)
            let run = symbol >> 4, size = symbol & 15
            guard size > 0 && length + size <= Self.lookupBits else { continue }
            let bits = (prefix >> (Self.lookupBits - length - size)) & ((1 << size) - 1)
            let value = bits < (1 << (size - 1)) ? bits - (1 << size) + 1 : bits  // EXTEND
            guard (-128...127).contains(value) else { continue }
            coefficientLookup[prefix] = Int16(value << 8 | run << 4 | (length + size))
        }
        self.coefficientLookup = copy(coefficientLookup)
        self.lookup = copy(lookup)
        self.limit = copy(limit)
        self.symbolOffset = copy(symbolOffset)
        self.symbols = copy(symbols)
    }

    deinit {
        lookup.deallocate()
        coefficientLookup.deallocate()
        limit.deallocate()
        symbolOffset.deallocate()
        symbols.deallocate()
    }

    /// The view the scan decoder reads; valid while the table lives.
    var view: Lookup { Lookup(lookup: UnsafePointer(lookup.baseAddress!), coefficientLookup: UnsafePointer(coefficientLookup.baseAddress!), limit: UnsafePointer(limit.baseAddress!),
                              symbolOffset: UnsafePointer(symbolOffset.baseAddress!), symbols: UnsafePointer(symbols.baseAddress!),
                              symbolCount: symbols.count) }

    struct Lookup {
        let lookup: UnsafePointer<UInt16>
        let coefficientLookup: UnsafePointer<Int16>
        let limit: UnsafePointer<Int32>
        let symbolOffset: UnsafePointer<Int32>
        let symbols: UnsafePointer<UInt8>
        let symbolCount: Int

        /// The symbol whose code starts the 16 bits `peek` (most significant bit first), and
        /// the code's length; nil when no code matches (the table leaves some codes unused).
        /// Every index is in range: the lookup is indexed by `lookupBits` bits, the lengths
        /// run to 16, and a symbol's index is checked against the count.
        @inline(__always)
        func decode(peek: UInt32) -> (symbol: UInt8, length: Int)? {
            let entry = lookup[Int(peek &>> UInt32(16 - JPEGHuffmanTable.lookupBits))]
            if entry != 0 { return (UInt8(truncatingIfNeeded: entry), Int(entry &>> 8)) }
            return decodeLong(peek: peek)
        }

        /// The canonical decoding of T.81 figure F.16, for codes longer than the lookup table.
        func decodeLong(peek: UInt32) -> (symbol: UInt8, length: Int)? {
            for length in (JPEGHuffmanTable.lookupBits + 1)...16 {
                let code = Int32(peek >> UInt32(16 - length))
                if code < limit[length] {
                    let index = Int(symbolOffset[length] + code)
                    guard index >= 0 && index < symbolCount else { return nil }
                    return (symbols[index], length)
                }
            }
            return nil
        }
    }
}
