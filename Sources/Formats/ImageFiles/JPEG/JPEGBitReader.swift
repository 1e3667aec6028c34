// Reading the entropy-coded data of a scan bit by bit (ITU T.81, sections F.1.2.3 and F.2.2.5).
//
// After an SOS header the Huffman codes follow as one long bit string, most significant bit
// first. So that a marker can always be found, a byte FF inside the data is followed by a
// stuffed 00, which the decoder drops; FF followed by D0...D7 is a restart marker, which ends a
// restart interval; FF followed by anything else ends the scan. `EntropyCodedData` does that
// unstuffing once, and a `JPEGBitReader` then reads one restart interval's plain bytes.

/// A scan's compressed bytes with the stuffing removed, split at its restart markers.
struct EntropyCodedData {
    /// The unstuffed bytes of every interval, one after another.
    var bytes: [UInt8] = []
    /// Where each restart interval starts and ends in `bytes`.
    var intervals: [Range<Int>] = []
    /// The restart marker number (0...7) that ended each interval but the last.
    var restartNumbers: [Int] = []
    /// The offset in the file of the marker that ended the scan (the file's size if none did).
    var end: Int
    /// Whether no marker ended the scan: its data ran to the end of the file, so was cut short.
    var reachedEndOfFile: Bool { end == fileCount }
    private let fileCount: Int

    /// Collects the data from `start` up to the first marker that is not a restart marker.
    init(file: [UInt8], from start: Int) {
        bytes.reserveCapacity(max(0, file.count - start))
        var p = start
        var intervalStart = 0
        end = file.count
        fileCount = file.count
        while p < file.count {
            let byte = file[p]
            if byte != 0xFF {
                bytes.append(byte)
                p += 1
                continue
            }
            // FF: look past any fill bytes (extra FFs) at what follows.
            var q = p + 1
            while q < file.count && file[q] == 0xFF { q += 1 }
            guard q < file.count else { p = q; break }
            let next = file[q]
            if next == 0x00 {
                bytes.append(0xFF)
                p = q + 1
            } else if (0xD0...0xD7).contains(next) {
                intervals.append(intervalStart..<bytes.count)
                restartNumbers.append(Int(next - 0xD0))
                intervalStart = bytes.count
                p = q + 1
            } else {
                end = p
                intervals.append(intervalStart..<bytes.count)
                return
            }
        }
        end = file.count
        intervals.append(intervalStart..<bytes.count)
    }
}

/// Reads bits from one restart interval. Past the interval's end it reads zeros; `isOverrun`
/// then says that the data was too short, which the decoder reports as truncation.
struct JPEGBitReader {
    private let bytes: [UInt8]
    private var position: Int
    private let end: Int
    /// The next bits to read, most significant first; `count` of them are valid.
    private var buffer: UInt64 = 0
    private var count = 0

    init(_ data: EntropyCodedData, interval: Int) {
        bytes = data.bytes
        position = data.intervals[interval].lowerBound
        end = data.intervals[interval].upperBound
    }

    /// Whether more bits were read than the interval holds.
    var isOverrun: Bool { position > end && (position - end) * 8 > count }

    /// Tops the buffer up to at least 57 bits.
    @inline(__always)
    private mutating func refill() {
        if position + 8 <= end {
            // Away from the end: take the next 8 bytes at once and keep the whole bytes that fit.
            var word: UInt64 = 0
            for i in 0..<8 { word = word << 8 | UInt64(bytes[position + i]) }
            let whole = (63 - count) >> 3
            buffer |= (word & ~(UInt64.max >> UInt64(8 * whole))) >> UInt64(count)
            position += whole
            count += 8 * whole
            return
        }
        while count <= 56 {
            let byte: UInt8 = position < end ? bytes[position] : 0
            position += 1
            buffer |= UInt64(byte) << UInt64(56 - count)
            count += 8
        }
    }

    /// Drops the next `n` bits, which the caller has read from the top of the buffer.
    @inline(__always)
    private mutating func consume(_ n: Int) {
        buffer &<<= UInt64(n)
        count &-= n
    }

    /// The next `n` bits (0...16) as an unsigned number.
    @inline(__always)
    mutating func bits(_ n: Int) -> Int {
        if n == 0 { return 0 }
        if count < n { refill() }
        let value = Int(truncatingIfNeeded: buffer &>> UInt64(64 - n))
        consume(n)
        return value
    }

    @inline(__always)
    mutating func bit() -> Int { bits(1) }

    /// An AC coefficient decoded by one lookup (`JPEGHuffmanTable`'s coefficient lookup): the
    /// run of zeros before it and its value, or nil when the next bits need the longer way.
    @inline(__always)
    mutating func decodeSmallCoefficient(_ table: JPEGHuffmanTable.Lookup) -> (run: Int, value: Int16)? {
        if count < 16 { refill() }
        let entry = table.coefficientLookup[Int(truncatingIfNeeded: buffer &>> UInt64(64 - JPEGHuffmanTable.lookupBits))]
        if entry == 0 { return nil }
        consume(Int(entry & 15))
        return (Int((entry &>> 4) & 15), entry &>> 8)
    }

    /// The next Huffman-coded symbol, or nil when the bits match no code of the table.
    @inline(__always)
    mutating func decode(_ table: JPEGHuffmanTable.Lookup) -> Int? {
        if count < 16 { refill() }
        guard let (symbol, length) = table.decode(peek: UInt32(truncatingIfNeeded: buffer >> 48)) else { return nil }
        consume(length)
        return Int(symbol)
    }

    /// The next `size` bits as a signed value (T.81 figure F.12, EXTEND): sizes code the
    /// ranges ±1, ±(2...3), ±(4...7), ...; a leading 0 bit means the negative half.
    @inline(__always)
    mutating func receiveExtend(_ size: Int) -> Int {
        if size == 0 { return 0 }
        let v = bits(size)
        return v < (1 &<< (size &- 1)) ? v &- (1 &<< size) &+ 1 : v
    }
}
