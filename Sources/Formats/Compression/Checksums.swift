// Checksums that guard compressed data against corruption.
//
// CRC-32 (ISO 3309, the polynomial 0xEDB88320 in reflected form) protects every PNG chunk
// (PNG specification, section 5.3) and every zip entry (APPNOTE section 4.4.7).
// Adler-32 (RFC 1950, section 8.2) protects the uncompressed data of a zlib stream.

/// CRC-32 as used by PNG and zip, computed a byte at a time from a 256-entry table.
///
/// Feed it bytes with `update` as they arrive; `value` is the checksum of everything so far.
public struct CRC32: Sendable {
    /// `table[n]` is the CRC of the single byte `n`: eight steps of polynomial division.
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    private var register: UInt32 = 0xFFFF_FFFF
    public init() {}

    /// The CRC of the bytes seen so far.
    public var value: UInt32 { register ^ 0xFFFF_FFFF }

    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        var c = register
        CRC32.table.withUnsafeBufferPointer { table in
            for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        }
        register = c
    }

    public mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
        var c = register
        CRC32.table.withUnsafeBufferPointer { table in
            for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        }
        register = c
    }

    /// The CRC-32 of `bytes[range]`.
    public static func checksum(_ bytes: [UInt8], _ range: Range<Int>? = nil) -> UInt32 {
        var crc = CRC32()
        bytes.withUnsafeBufferPointer { all in
            let r = range ?? 0..<all.count
            crc.update(UnsafeBufferPointer(rebasing: all[r]))
        }
        return crc.value
    }
}

/// Adler-32 (RFC 1950, section 8.2): two running sums modulo 65521, the largest prime below
/// 2^16. `a` is 1 plus the sum of the bytes, `b` the sum of the successive values of `a`.
public struct Adler32: Sendable {
    static let modulus: UInt32 = 65521
    /// The most bytes that can be summed before `b` could overflow 32 bits (zlib's NMAX).
    static let blockLength = 5552

    private var a: UInt32 = 1
    private var b: UInt32 = 0
    public init() {}

    public var value: UInt32 { (b << 16) | a }

    public mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
        var start = 0
        while start < bytes.count {
            let end = min(start + Adler32.blockLength, bytes.count)
            for i in start..<end {
                a &+= UInt32(bytes[i])
                b &+= a
            }
            a %= Adler32.modulus
            b %= Adler32.modulus
            start = end
        }
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var adler = Adler32()
        bytes.withUnsafeBufferPointer { adler.update($0) }
        return adler.value
    }
}
