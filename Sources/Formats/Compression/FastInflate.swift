// The fast inflater: the same format as `SimpleInflate`, decoded with lookup tables.
//
// Two ideas make it fast. A 64-bit bit buffer is refilled eight bytes at a time, so most symbols
// need no per-bit work. And each Huffman code becomes a table indexed by the next `maxLength`
// stream bits: every entry whose low bits spell a code holds that code's symbol and length, so
// one lookup decodes a symbol. (Codes are packed most significant bit first into a stream read
// least significant bit first, so the table is indexed by the bit-reversed code.)

/// A Huffman code as a single-level lookup table.
struct HuffmanTable {
    /// `entries[bits]` = symbol << 4 | length, or 0 where no code starts with those bits.
    var entries: [UInt16]
    /// How many stream bits index the table: the longest code's length.
    var indexBits: Int

    /// Builds the table from code lengths; the lengths must already be known to be valid
    /// (checked by `Huffman`, which also decides whether an incomplete code is allowed).
    init(lengths: [Int]) {
        let longest = max(1, lengths.max() ?? 1)
        indexBits = longest
        entries = [UInt16](repeating: 0, count: 1 << longest)
        // Canonical codes (RFC 1951 section 3.2.2), bit-reversed to match the stream's bit order.
        let codes = HuffmanCodeBuilder.reversedCodes(lengths: lengths)
        entries.withUnsafeMutableBufferPointer { table in
            for (symbol, length) in lengths.enumerated() where length > 0 {
                let entry = UInt16(symbol << 4 | length)
                var index = Int(codes[symbol])
                while index < table.count {
                    table[index] = entry
                    index += 1 << length
                }
            }
        }
    }
}

/// The table-driven inflater.
///
/// It never holds more than a window of its output: deflate's matches reach at most 32 KiB back,
/// so once the working buffer fills, everything but its last 32 KiB is handed on and the rest
/// moved to the front (zlib's sliding window). The streaming form gives those pieces to the
/// caller, who can use them at once (the PNG decoder unfilters rows as they arrive), so a
/// 500 MB image needs no 500 MB of inflated bytes; the array form appends them to its result.
public enum FastInflate {
    /// Inflates the raw deflate stream `input`, producing at most `limit` bytes.
    /// Returns the output and the number of input bytes the stream occupied.
    public static func inflate(_ input: [UInt8], limit: Int) throws -> (output: [UInt8], consumed: Int) {
        var output: [UInt8] = []
        // A first guess; the array doubles beyond it. (Zip entries know their size and reserve it.)
        output.reserveCapacity(Inflate.firstGuess(inputCount: input.count, limit: limit))
        let consumed = try inflate(input, limit: limit) { output.append(contentsOf: $0) }
        return (output, consumed)
    }

    /// Inflates `input` into at most `limit` bytes, handing them to `consume` in order, in pieces
    /// of up to about a megabyte. Returns the number of input bytes the stream occupied. An error
    /// `consume` throws stops inflating and is passed on.
    public static func inflate(_ input: [UInt8], limit: Int, into consume: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Int {
        try input.withUnsafeBufferPointer { try inflate($0, limit: limit, into: consume) }
    }

    /// The same, reading the stream from memory the caller owns (a zip member, a zlib body).
    public static func inflate(_ input: UnsafeBufferPointer<UInt8>, limit: Int,
                               into consume: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Int {
        try withoutActuallyEscaping(consume) { consume in
            var decoder = FastInflateState(input: input, limit: limit, consume: consume)
            defer { decoder.deallocate() }
            try decoder.run()
            try decoder.handOnAll()
            return decoder.consumedBytes
        }
    }

    static let fixedLiterals = HuffmanTable(lengths: DeflateTables.fixedLiteralLengths)
    static let fixedDistances = HuffmanTable(lengths: DeflateTables.fixedDistanceLengths)
}

/// The decoder's working state: input position, bit buffer and the output window.
struct FastInflateState {
    let input: UnsafeBufferPointer<UInt8>
    let limit: Int
    var position = 0
    var bitBuffer: UInt64 = 0
    var bitCount = 0
    /// Bytes of zero padding loaded past the end of the input; using any of them means the
    /// stream was truncated.
    var padding = 0
    /// Set when the bits matched no code at all (rather than a code for a meaningless symbol).
    var noCodeMatched = false

    /// The output window: `count` bytes, the last of everything produced so far.
    var output: UnsafeMutablePointer<UInt8>
    /// The window's allocated size (plus `slack`).
    let windowSize: Int
    /// How far `count` may grow before `reserve` must act: the window's end, or the limit's.
    var capacity: Int
    var count = 0
    /// How many bytes were produced before the window's first byte (already handed on).
    var handedOn = 0
    let consume: (UnsafeBufferPointer<UInt8>) throws -> Void
    /// Spare bytes kept past `capacity` so a match copy may overrun by up to 8 bytes.
    static let slack = 16
    /// How far back a match may reach (RFC 1951 section 3.2.5): what the window must keep.
    static let history = 32768

    init(input: UnsafeBufferPointer<UInt8>, limit: Int, consume: @escaping (UnsafeBufferPointer<UInt8>) throws -> Void) {
        self.input = input
        self.limit = limit
        self.consume = consume
        // Room for the history, the longest stored block (65535 bytes) and some more, so that
        // handing on happens once per hundreds of kilobytes; never more than the limit.
        windowSize = max(0, min(limit, min(1 << 20, max(1 << 17, min(input.count, 1 << 40) * 8))))
        capacity = windowSize
        output = .allocate(capacity: windowSize + FastInflateState.slack)
    }

    func deallocate() { output.deallocate() }

    var consumedBytes: Int { position - bitCount / 8 }

    /// Hands on what is left in the window, at the end of the stream.
    mutating func handOnAll() throws {
        try consume(UnsafeBufferPointer(start: output, count: count))
        handedOn += count
        count = 0
    }

    /// Makes room for `extra` more output bytes, within the limit: hands on all but the last
    /// 32 KiB of the window and moves those to the front. (The window is at least 128 KiB unless
    /// the limit is smaller, so the history and a stored block always fit after.) `capacity`
    /// never passes the limit, so the hot loop's one comparison also keeps the limit.
    @inline(__always)
    mutating func reserve(_ extra: Int) throws {
        if count + extra <= capacity { return }
        guard handedOn + count + extra <= limit else { throw InflateError.outputLimitExceeded(limit: limit) }
        let kept = min(count, FastInflateState.history)
        try consume(UnsafeBufferPointer(start: output, count: count - kept))
        handedOn += count - kept
        UnsafeMutableRawPointer(output).copyMemory(from: output + (count - kept), byteCount: kept)   // may overlap: a memmove
        count = kept
        capacity = min(windowSize, limit - handedOn)
    }

    /// Tops the bit buffer up to at least 56 bits, eight bytes at a time when it can.
    @inline(__always)
    mutating func refill() throws {
        if position + 8 <= input.count {
            let word = UnsafeRawPointer(input.baseAddress! + position).loadUnaligned(as: UInt64.self)
            bitBuffer |= UInt64(littleEndian: word) << UInt64(bitCount)
            position += (63 - bitCount) >> 3
            bitCount |= 56
            return
        }
        while bitCount <= 56 {
            if position < input.count {
                bitBuffer |= UInt64(input[position]) << UInt64(bitCount)
            } else {
                padding += 1
                // The buffer holds at most 8 bytes, so a ninth byte of padding means some
                // padding has already been consumed.
                if padding > 8 { throw InflateError.truncated }
            }
            position += 1
            bitCount += 8
        }
    }

    @inline(__always)
    mutating func take(_ n: Int) -> Int {
        let value = Int(truncatingIfNeeded: bitBuffer) & ((1 << n) - 1)
        bitBuffer >>= UInt64(n)
        bitCount -= n
        return value
    }

    /// Throws if bits past the end of the input have been used.
    func checkNotTruncated() throws {
        if position * 8 - bitCount > input.count * 8 {
            throw InflateError.truncated
        }
    }

    /// Inflates every block. One truncation rule for both inflaters (InflateError.swift): the
    /// simple one reads bit by bit and says "truncated" at the first bit past the end; this
    /// one loads zero padding past the end ahead of need, so an error found in bits that ran
    /// past the end is reported as the truncation it really is. A symbol no code matches is
    /// known for certain only after 15 bits (the longest code; the simple decoder reads them
    /// one at a time), so with fewer real bits left it too is a truncation.
    mutating func run() throws {
        do {
            try runBlocks()
        } catch let error as InflateError where error != .truncated {
            let bitsLeft = input.count * 8 - (position * 8 - bitCount)
            if bitsLeft < 0 || (noCodeMatched && bitsLeft < 15) { throw InflateError.truncated }
            throw error
        }
    }

    /// The error for bits that match no code of a table.
    mutating func unmatchedCode() -> InflateError {
        noCodeMatched = true
        return InflateError.invalidSymbol
    }

    mutating func runBlocks() throws {
        var last = false
        repeat {
            try refill()
            last = take(1) == 1
            let type = take(2)
            switch type {
            case 0: try stored()
            case 1: try codes(FastInflate.fixedLiterals, FastInflate.fixedDistances)
            case 2: try dynamic()
            default: throw InflateError.reservedBlockType
            }
            try checkNotTruncated()
        } while !last
    }

    mutating func stored() throws {
        // Drop to a byte boundary, then return unread whole bytes to the input.
        _ = take(bitCount & 7)
        position -= bitCount / 8
        bitBuffer = 0
        bitCount = 0
        guard position <= input.count else { throw InflateError.truncated }
        padding = 0
        guard position + 4 <= input.count else { throw InflateError.truncated }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
        position += 4
        guard length == (~complement & 0xFFFF) else { throw InflateError.storedLengthMismatch }
        guard position + length <= input.count else { throw InflateError.truncated }
        try reserve(length)
        (output + count).update(from: input.baseAddress! + position, count: length)
        count += length
        position += length
    }

    mutating func dynamic() throws {
        try refill()
        let literalCount = take(5) + 257
        let distanceCount = take(5) + 1
        let codeLengthCount = take(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw InflateError.tooManyCodes }
        var codeLengthLengths = [Int](repeating: 0, count: 19)
        try refill()
        for i in 0..<codeLengthCount {
            if bitCount < 3 { try refill() }
            codeLengthLengths[DeflateTables.codeLengthOrder[i]] = take(3)
        }
        let check = try Huffman(lengths: codeLengthLengths, name: "code length")
        guard check.left == 0 else { throw InflateError.incompleteCode("code length") }
        let codeLengthTable = HuffmanTable(lengths: codeLengthLengths)

        let total = literalCount + distanceCount
        var lengths = [Int]()
        lengths.reserveCapacity(total)
        while lengths.count < total {
            try refill()
            let symbol = try decode(codeLengthTable)
            if symbol < 16 {
                lengths.append(symbol)
                continue
            }
            var repeated = 0
            let count: Int
            switch symbol {
            case 16:
                guard let previous = lengths.last else { throw InflateError.repeatWithoutPreviousLength }
                repeated = previous
                count = 3 + take(2)
            case 17: count = 3 + take(3)
            default: count = 11 + take(7)
            }
            guard lengths.count + count <= total else { throw InflateError.tooManyCodeLengths }
            lengths.append(contentsOf: repeatElement(repeated, count: count))
        }
        try checkNotTruncated()
        guard lengths[256] != 0 else { throw InflateError.missingEndOfBlock }
        let literalLengths = Array(lengths[0..<literalCount])
        let distanceLengths = Array(lengths[literalCount...])
        let literalCheck = try Huffman(lengths: literalLengths, name: "literal/length")
        if literalCheck.left > 0 && literalCount != literalCheck.count[0] + literalCheck.count[1] {
            throw InflateError.incompleteCode("literal/length")
        }
        let distanceCheck = try Huffman(lengths: distanceLengths, name: "distance")
        if distanceCheck.left > 0 && distanceCount != distanceCheck.count[0] + distanceCheck.count[1] {
            throw InflateError.incompleteCode("distance")
        }
        try codes(HuffmanTable(lengths: literalLengths), HuffmanTable(lengths: distanceLengths))
    }

    /// One table lookup; the caller has refilled the buffer.
    @inline(__always)
    mutating func decode(_ table: HuffmanTable) throws -> Int {
        let entry = Int(table.entries[Int(truncatingIfNeeded: bitBuffer) & ((1 << table.indexBits) - 1)])
        let length = entry & 15
        guard length != 0 else { throw unmatchedCode() }
        bitBuffer >>= UInt64(length)
        bitCount -= length
        return entry >> 4
    }

    /// The hot loop: literals and length/distance pairs until end-of-block.
    mutating func codes(_ literals: HuffmanTable, _ distances: HuffmanTable) throws {
        try literals.entries.withUnsafeBufferPointer { literalEntries in
            try distances.entries.withUnsafeBufferPointer { distanceEntries in
                let literalMask = (1 << literals.indexBits) - 1
                let distanceMask = (1 << distances.indexBits) - 1
                while true {
                    if bitCount < 48 { try refill() }
                    let entry = Int(literalEntries[Int(truncatingIfNeeded: bitBuffer) & literalMask])
                    let length = entry & 15
                    guard length != 0 else { throw unmatchedCode() }
                    bitBuffer >>= UInt64(length)
                    bitCount -= length
                    let symbol = entry >> 4
                    if symbol < 256 {
                        if count >= capacity { try reserve(1) }
                        output[count] = UInt8(truncatingIfNeeded: symbol)
                        count += 1
                        continue
                    }
                    if symbol == 256 { return }
                    let index = symbol - 257
                    guard index < 29 else { throw InflateError.invalidSymbol }
                    let matchLength = DeflateTables.lengthBase[index] + take(DeflateTables.lengthExtra[index])
                    // A length symbol with its extra bits and a distance with its extra bits
                    // use at most 15 + 5 + 15 + 13 = 48 bits, so one refill covers them.
                    let distanceEntry = Int(distanceEntries[Int(truncatingIfNeeded: bitBuffer) & distanceMask])
                    let distanceLength = distanceEntry & 15
                    guard distanceLength != 0 else { throw unmatchedCode() }
                    bitBuffer >>= UInt64(distanceLength)
                    bitCount -= distanceLength
                    let distanceSymbol = distanceEntry >> 4
                    guard distanceSymbol < 30 else { throw InflateError.invalidSymbol }
                    let distance = DeflateTables.distanceBase[distanceSymbol] + take(DeflateTables.distanceExtra[distanceSymbol])
                    guard distance <= count else {
                        throw InflateError.distanceTooFarBack(distance: distance, available: count)
                    }
                    if count + matchLength > capacity { try reserve(matchLength) }
                    copyMatch(length: matchLength, distance: distance)
                }
            }
        }
    }

    /// Copies `length` bytes from `distance` bytes back. Far-apart copies move eight bytes at a
    /// time (possibly writing a few bytes past the end, into the slack); a distance of one is a
    /// run of one byte; anything else overlaps and goes byte by byte, as the format requires.
    @inline(__always)
    mutating func copyMatch(length: Int, distance: Int) {
        let destination = output + count
        let source = destination - distance
        if distance >= 8 {
            var i = 0
            while i < length {
                UnsafeMutableRawPointer(destination + i).storeBytes(
                    of: UnsafeRawPointer(source + i).loadUnaligned(as: UInt64.self), as: UInt64.self)
                i += 8
            }
        } else if distance == 1 {
            destination.update(repeating: source.pointee, count: length)
        } else {
            for i in 0..<length { destination[i] = source[i] }
        }
        count += length
    }
}
