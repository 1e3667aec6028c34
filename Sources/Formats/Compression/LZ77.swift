// LZ77, the first half of deflate: replace repeated strings with (length, distance) references
// to an earlier copy within the last 32 KiB (RFC 1951 section 4, "Compression algorithm details").
//
// Candidates are found with hash chains, as the RFC suggests and zlib does: the hash of the next
// three bytes picks a chain of earlier positions with the same hash, newest first. Matching is
// "lazy": before taking a match we look one byte further, and if a longer match starts there we
// emit a literal instead and take the longer one.

/// One LZ77 token: a literal byte (`length == 0`) or a back-reference.
struct LZ77Token {
    /// 0 for a literal, otherwise the match length, 3...258.
    var length: UInt16
    /// The literal byte, or the match distance 1...32768.
    var value: UInt16
}

/// Search effort, zlib's tuning table for levels 1, 6 and 9.
public struct LZ77Effort: Sendable {
    /// Stop looking once a match this long is found.
    var niceLength: Int
    /// How many chain links to follow at most.
    var maxChain: Int
    /// Do not look for a better match after one at least this long.
    var maxLazy: Int
    /// With a match this long already, follow only a quarter of the chain.
    var goodLength: Int

    static let fast = LZ77Effort(niceLength: 8, maxChain: 4, maxLazy: 0, goodLength: 4)
    static let standard = LZ77Effort(niceLength: 128, maxChain: 128, maxLazy: 16, goodLength: 8)
    static let best = LZ77Effort(niceLength: 258, maxChain: 4096, maxLazy: 258, goodLength: 32)
}

enum LZ77 {
    static let windowSize = 1 << 15
    static let windowMask = windowSize - 1
    static let hashBits = 15
    static let minMatch = 3
    static let maxMatch = 258
    /// A three-byte match this far back costs more bits than three literals (zlib's TOO_FAR).
    static let tooFar = 4096

    /// Tokenises `data` into literals and back-references.
    static func tokens(_ data: UnsafeBufferPointer<UInt8>, effort: LZ77Effort) -> [LZ77Token] {
        let n = data.count
        var tokens: [LZ77Token] = []
        tokens.reserveCapacity(n / 3 + 16)
        guard n > 0 else { return tokens }
        let bytes = data.baseAddress!

        // head[h]: newest position + 1 with hash h (0 = none); prev[p & mask]: the one before.
        let head = UnsafeMutablePointer<Int32>.allocate(capacity: 1 << hashBits)
        head.initialize(repeating: 0, count: 1 << hashBits)
        let prev = UnsafeMutablePointer<Int32>.allocate(capacity: windowSize)
        prev.initialize(repeating: 0, count: windowSize)
        defer { head.deallocate(); prev.deallocate() }

        @inline(__always) func hash(_ p: Int) -> Int {
            (Int(bytes[p]) << 10 ^ Int(bytes[p + 1]) << 5 ^ Int(bytes[p + 2])) & ((1 << hashBits) - 1)
        }
        @inline(__always) func insert(_ p: Int) {
            guard p + minMatch <= n else { return }
            let h = hash(p)
            prev[p & windowMask] = head[h]
            head[h] = Int32(p + 1)
        }
        /// The longest match for position `p` among earlier positions, better than `atLeast`.
        @inline(__always) func longestMatch(_ p: Int, atLeast: Int) -> (length: Int, distance: Int) {
            guard p + minMatch <= n else { return (0, 0) }
            let limit = min(maxMatch, n - p)
            if atLeast >= limit { return (0, 0) }
            var bestLength = atLeast
            var bestDistance = 0
            var chain = atLeast >= effort.goodLength ? effort.maxChain >> 2 : effort.maxChain
            var candidate = Int(head[hash(p)]) - 1
            while candidate >= 0 && chain > 0 {
                let distance = p - candidate
                if distance > windowSize - 1 { break }
                // Quick rejection: the byte that would make this match longer must agree.
                if bytes[candidate + bestLength] == bytes[p + bestLength] {
                    var length = 0
                    while length < limit && bytes[candidate + length] == bytes[p + length] { length += 1 }
                    if length > bestLength && !(length == minMatch && distance > tooFar) {
                        bestLength = length
                        bestDistance = distance
                        if length >= effort.niceLength || length >= limit { break }
                    }
                }
                candidate = Int(prev[candidate & windowMask]) - 1
                chain -= 1
            }
            return bestDistance == 0 ? (0, 0) : (bestLength, bestDistance)
        }

        var p = 0
        var pendingLength = 0      // a match found at p - 1, waiting to see if p does better
        var pendingDistance = 0
        var pending = false        // whether position p - 1 is still undecided
        while p < n && effort.maxLazy == 0 {
            // Greedy matching: take any match at once.
            let match = longestMatch(p, atLeast: minMatch - 1)
            if match.length >= minMatch {
                tokens.append(LZ77Token(length: UInt16(match.length), value: UInt16(match.distance)))
                for q in p..<(p + match.length) { insert(q) }
                p += match.length
            } else {
                tokens.append(LZ77Token(length: 0, value: UInt16(bytes[p])))
                insert(p)
                p += 1
            }
        }
        while p < n {
            var match = (length: 0, distance: 0)
            if !pending || pendingLength < effort.maxLazy {
                match = longestMatch(p, atLeast: max(pending ? pendingLength : minMatch - 1, minMatch - 1))
            }
            insert(p)
            if pending && pendingLength >= minMatch && pendingLength >= match.length {
                // The match at p - 1 is at least as good: take it.
                tokens.append(LZ77Token(length: UInt16(pendingLength), value: UInt16(pendingDistance)))
                let end = p - 1 + pendingLength
                for q in (p + 1)..<end { insert(q) }
                p = end
                pending = false
                pendingLength = 0
                continue
            }
            if pending { tokens.append(LZ77Token(length: 0, value: UInt16(bytes[p - 1]))) }
            pending = true
            pendingLength = match.length
            pendingDistance = match.distance
            p += 1
        }
        if pending { tokens.append(LZ77Token(length: 0, value: UInt16(bytes[n - 1]))) }
        return tokens
    }
}
