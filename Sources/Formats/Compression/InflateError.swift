// The ways a deflate or zlib stream can be wrong. Both inflaters (the plain one that explains
// the format and the table-driven fast one) report exactly the same errors, so a test can feed
// one hand-made byte string to both and expect the same answer.

/// What was wrong with a deflate (RFC 1951) or zlib (RFC 1950) stream.
public enum InflateError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The stream ended before its last block did.
    case truncated
    /// BTYPE was 3, which RFC 1951 section 3.2.3 reserves.
    case reservedBlockType
    /// A stored block's LEN and NLEN are not one's complements (RFC 1951 section 3.2.4).
    case storedLengthMismatch
    /// HLIT > 286 or HDIST > 30 in a dynamic block header (RFC 1951 section 3.2.7).
    case tooManyCodes
    /// A set of code lengths describes more codes than the bit lengths can hold.
    case overSubscribedCode(String)
    /// A set of code lengths leaves codes unused (only allowed for a single one-bit code).
    case incompleteCode(String)
    /// Code-length symbol 16 ("repeat the previous length") came first.
    case repeatWithoutPreviousLength
    /// The code-length runs go past HLIT + HDIST lengths.
    case tooManyCodeLengths
    /// The literal/length code gives symbol 256 (end of block) no code.
    case missingEndOfBlock
    /// A decoded symbol has no meaning: length symbols 286 and 287, distance symbols 30 and 31,
    /// or a bit pattern no code was assigned to.
    case invalidSymbol
    /// A back-reference reaches before the start of the output.
    case distanceTooFarBack(distance: Int, available: Int)
    /// The output would exceed the size the caller said it could be.
    case outputLimitExceeded(limit: Int)
    /// The two zlib header bytes are not a valid header (RFC 1950 section 2.2).
    case badZlibHeader
    /// The zlib header asks for a preset dictionary, which PNG and this project never use.
    case presetDictionaryNotSupported
    /// The Adler-32 of the inflated data differs from the one stored after the stream.
    case adlerMismatch(stored: UInt32, computed: UInt32)

    public var description: String {
        switch self {
        case .truncated: return "compressed data ends too early"
        case .reservedBlockType: return "deflate block uses the reserved block type 3"
        case .storedLengthMismatch: return "stored block length does not match its complement"
        case .tooManyCodes: return "dynamic block declares too many length or distance codes"
        case .overSubscribedCode(let which): return "over-subscribed \(which) code"
        case .incompleteCode(let which): return "incomplete \(which) code"
        case .repeatWithoutPreviousLength: return "code length repeat with no previous length"
        case .tooManyCodeLengths: return "code length repeat runs past the number of codes"
        case .missingEndOfBlock: return "literal/length code has no end-of-block symbol"
        case .invalidSymbol: return "invalid literal/length or distance symbol"
        case .distanceTooFarBack(let d, let a): return "back-reference distance \(d) exceeds the \(a) bytes written so far"
        case .outputLimitExceeded(let limit): return "inflated data exceeds the expected \(limit) bytes"
        case .badZlibHeader: return "invalid zlib header"
        case .presetDictionaryNotSupported: return "zlib stream needs a preset dictionary"
        case .adlerMismatch(let s, let c):
            return "Adler-32 mismatch (stored \(String(s, radix: 16)), computed \(String(c, radix: 16)))"
        }
    }
}

/// The tables of RFC 1951 section 3.2.5: what each length and distance symbol means.
enum DeflateTables {
    /// Base lengths for literal/length symbols 257...285.
    static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                                    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    /// Extra bits read after each length symbol, added to its base.
    static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                                     3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    /// Base distances for distance symbols 0...29.
    static let distanceBase: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
                                      257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
                                      8193, 12289, 16385, 24577]
    /// Extra bits read after each distance symbol.
    static let distanceExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
                                       7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    /// The order in which a dynamic header lists the code-length code's lengths (section 3.2.7):
    /// the likely ones first, so trailing zeros can be left out.
    static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// The fixed Huffman code of section 3.2.6: lengths for literal/length symbols 0...287.
    static let fixedLiteralLengths: [Int] =
        Array(repeating: 8, count: 144) + Array(repeating: 9, count: 112) +
        Array(repeating: 7, count: 24) + Array(repeating: 8, count: 8)
    /// ...and for the distance symbols, all five bits. Symbols 30 and 31 take part in the code
    /// but never occur in valid data (section 3.2.6), so decoding them is an error.
    static let fixedDistanceLengths: [Int] = Array(repeating: 5, count: 32)
}
