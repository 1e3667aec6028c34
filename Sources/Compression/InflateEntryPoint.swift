/// The entry point for inflating raw deflate data: runs the fast decoder.
public enum Inflate {
    /// Inflates a raw deflate stream into at most `limit` bytes.
    public static func inflate(_ input: [UInt8], limit: Int) throws -> [UInt8] {
        try FastInflate.inflate(input, limit: limit).output
    }
}
