import Compression

/// Raw deflate and zlib streams: the fast inflater and the readable one must give the same bytes,
/// consume the same input, or throw the same error (InflateError.swift promises it).
enum InflateTarget {
    static func run(_ bytes: [UInt8]) throws {
        guard let mode = bytes.first else { return }
        let stream = Array(bytes.dropFirst())
        // The first byte picks the wrapper and the output limit, so limits are fuzzed too:
        // bit 0 zlib or raw; bits 1-4 a limit of 2^k bytes (k = 0...15), or none when all set.
        let k = Int(mode >> 1) & 0x0F
        let limit = k == 15 ? stream.count * 1100 + 64 : 1 << k
        if mode & 1 == 1 {
            let fast = Result { try Zlib.decompress(stream, limit: limit) }
            let simple = Result { try Zlib.decompress(stream, limit: limit, useSimpleInflate: true) }
            try compare(fast.map { (output: $0, consumed: 0) }, simple.map { (output: $0, consumed: 0) }, "zlib")
        } else {
            let fast = Result { try FastInflate.inflate(stream, limit: limit) }
            let simple = Result { try SimpleInflate.inflate(stream, limit: limit) }
            try compare(fast, simple, "raw deflate")
        }
    }

    typealias Outcome = Result<(output: [UInt8], consumed: Int), Error>

    static func compare(_ fast: Outcome, _ simple: Outcome, _ kind: String) throws {
        switch (fast, simple) {
        case (.success(let a), .success(let b)):
            guard a.0 == b.0 else { throw FuzzFinding("\(kind): the inflaters' outputs differ") }
            guard a.1 == b.1 else { throw FuzzFinding("\(kind): the inflaters consumed \(a.1) and \(b.1) bytes") }
        case (.failure(let a), .failure(let b)):
            guard let a = a as? InflateError, let b = b as? InflateError else { throw FuzzFinding("\(kind): a non-inflate error") }
            guard a == b else { throw FuzzFinding("\(kind): fast says \"\(a)\", simple says \"\(b)\"") }
        case (.success, .failure(let e)):
            throw FuzzFinding("\(kind): fast succeeds, simple says \"\(e)\"")
        case (.failure(let e), .success):
            throw FuzzFinding("\(kind): simple succeeds, fast says \"\(e)\"")
        }
    }
}

/// What we write, we read back identically: our deflate, raw or inside zlib, read by both
/// inflaters with the exact size as the limit. The first byte picks the level and the wrapper
/// (one compression per input keeps the fuzzer quick); the rest is the data.
enum DeflateRoundTripTarget {
    static func run(_ bytes: [UInt8]) throws {
        guard let mode = bytes.first else { return }
        let data = Array(bytes.dropFirst())
        let level = [Deflate.Level.fast, .default, .best][Int(mode % 3)]
        if mode & 0x80 != 0 {
            guard try Zlib.decompress(Zlib.compress(data, level: level), limit: data.count) == data else {
                throw FuzzFinding("zlib \(level) does not read back")
            }
            return
        }
        let compressed = Deflate.compress(data, level: level)
        let fast = try FastInflate.inflate(compressed, limit: data.count)
        let simple = try SimpleInflate.inflate(compressed, limit: data.count)
        guard fast.output == data, simple.output == data else { throw FuzzFinding("deflate \(level) does not read back") }
        guard fast.consumed == compressed.count, simple.consumed == compressed.count else {
            throw FuzzFinding("deflate \(level): the stream is \(compressed.count) bytes, the inflaters used \(fast.consumed) and \(simple.consumed)")
        }
    }
}

/// Zip archives: list the central directory and extract every member (checked by size and
/// CRC-32), under the reader's own limits.
enum ZipTarget {
    static func run(_ bytes: [UInt8]) {
        guard let archive = try? ZipArchive(bytes: bytes) else { return }
        for entry in archive.entries {
            _ = try? archive.extract(entry)
        }
    }
}
