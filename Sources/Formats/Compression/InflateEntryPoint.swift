/// The entry point for inflating raw deflate data: runs the fast decoder.
public enum Inflate {
    /// Deflate's largest expansion: a 258-byte match costs at least 2 bits, about 1032 to 1. Data
    /// claimed to inflate to more than `compressed * maxExpansion` bytes cannot, so such a claim
    /// can be refused, or its memory not reserved, before inflating.
    public static let maxExpansion = 1032

    /// A first guess at the output size, for an array that then grows as needed.
    static func firstGuess(inputCount: Int, limit: Int) -> Int {
        max(0, min(limit, max(1024, min(inputCount, 1 << 40) * 4)))
    }

    /// Inflates a raw deflate stream into at most `limit` bytes.
    public static func inflate(_ input: [UInt8], limit: Int) throws -> [UInt8] {
        try FastInflate.inflate(input, limit: limit).output
    }
}
