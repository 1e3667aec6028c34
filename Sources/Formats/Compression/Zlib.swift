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
        if useSimpleInflate {
            try checkHeader(data)
            let body = Array(data[2...])
            let (output, consumed) = try SimpleInflate.inflate(body, limit: limit)
            try checkTrailer(body, at: consumed, computed: Adler32.checksum(output))
            return output
        }
        var output: [UInt8] = []
        output.reserveCapacity(Inflate.firstGuess(inputCount: data.count, limit: limit))
        try decompress(data, limit: limit) { output.append(contentsOf: $0) }
        return output
    }

    /// Inflates a zlib stream into at most `limit` bytes, handing them to `consume` as they come
    /// (see `FastInflate`), and checks the Adler-32 of them all at the end.
    public static func decompress(_ data: [UInt8], limit: Int, into consume: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        try checkHeader(data)
        var adler = Adler32()
        try data.withUnsafeBufferPointer { all in
            let body = UnsafeBufferPointer(rebasing: all[2...])
            let consumed = try FastInflate.inflate(body, limit: limit) { piece in
                adler.update(piece)
                try consume(piece)
            }
            try checkTrailer(body, at: consumed, computed: adler.value)
        }
    }

    static func checkHeader(_ data: [UInt8]) throws {
        guard data.count >= 2 else { throw InflateError.truncated }
        let cmf = Int(data[0]), flg = Int(data[1])
        guard cmf & 0x0F == 8, cmf >> 4 <= 7, (cmf * 256 + flg) % 31 == 0 else { throw InflateError.badZlibHeader }
        guard flg & 0x20 == 0 else { throw InflateError.presetDictionaryNotSupported }
    }

    /// The Adler-32 stored after the deflate stream, most significant byte first.
    static func checkTrailer<Body: RandomAccessCollection>(_ body: Body, at consumed: Int, computed: UInt32) throws
        where Body.Element == UInt8, Body.Index == Int {
        guard consumed + 4 <= body.count else { throw InflateError.truncated }
        let stored = body[(body.startIndex + consumed)..<(body.startIndex + consumed + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard stored == computed else { throw InflateError.adlerMismatch(stored: stored, computed: computed) }
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
