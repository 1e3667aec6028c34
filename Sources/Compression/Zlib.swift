// The zlib wrapper (RFC 1950) around a deflate stream, as PNG uses it for image data
// (PNG specification, section 10): two header bytes, the deflate stream, then the Adler-32
// of the uncompressed data, most significant byte first.
//
//   CMF  = CINFO (window size, 4 bits) | CM (method, 4 bits; 8 = deflate)
//   FLG  = FLEVEL (2 bits) | FDICT (1 bit) | FCHECK (5 bits), with (CMF * 256 + FLG) % 31 == 0

public enum Zlib {
    /// Inflates a zlib stream into at most `limit` bytes and checks its Adler-32.
    /// `useSimpleInflate` runs the readable reference decoder instead of the fast one.
    public static func decompress(_ data: [UInt8], limit: Int, useSimpleInflate: Bool = false) throws -> [UInt8] {
        guard data.count >= 2 else { throw InflateError.truncated }
        let cmf = Int(data[0]), flg = Int(data[1])
        guard cmf & 0x0F == 8, cmf >> 4 <= 7, (cmf * 256 + flg) % 31 == 0 else { throw InflateError.badZlibHeader }
        guard flg & 0x20 == 0 else { throw InflateError.presetDictionaryNotSupported }
        let body = Array(data[2...])
        let (output, consumed) = useSimpleInflate
            ? try SimpleInflate.inflate(body, limit: limit)
            : try FastInflate.inflate(body, limit: limit)
        guard consumed + 4 <= body.count else { throw InflateError.truncated }
        let stored = body[consumed..<consumed + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let computed = Adler32.checksum(output)
        guard stored == computed else { throw InflateError.adlerMismatch(stored: stored, computed: computed) }
        return output
    }

    /// Compresses `data` into a zlib stream with `Deflate`.
    public static func compress(_ data: [UInt8], level: Deflate.Level = .default) -> [UInt8] {
        // CMF 0x78: deflate with a 32 KiB window. FLG 0x9C: "default" level, FCHECK made valid.
        var out: [UInt8] = [0x78, 0x9C]
        out += Deflate.compress(data, level: level)
        let adler = Adler32.checksum(data)
        out += [UInt8(adler >> 24), UInt8(adler >> 16 & 0xFF), UInt8(adler >> 8 & 0xFF), UInt8(adler & 0xFF)]
        return out
    }
}
