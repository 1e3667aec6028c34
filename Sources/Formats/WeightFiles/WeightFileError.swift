/// Everything that can be wrong with a weight file, each case a one-line message naming the
/// problem. The readers throw these and never trap on bad bytes.
public enum WeightFileError: Error, Equatable, CustomStringConvertible, Sendable {
    case truncated(String)
    case unsupportedOpcode(name: String, byte: UInt8, offset: Int)
    case malformedPickle(String)
    case unsupportedObject(String)
    case missingStorage(String)
    case badTensor(name: String, reason: String)
    case badHeader(String)
    case unsupportedDType(name: String, dtype: String)
    case missingTensor(String)
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    case unreadable(String)
    /// The file holds a network other than the one asked for; the text says which and what to do.
    case otherNetwork(String)

    public var description: String {
        switch self {
        case .truncated(let what): return "the file ends too early (\(what))"
        case .unsupportedOpcode(let name, let byte, let offset):
            return "pickle opcode \(name) (0x\(String(byte, radix: 16))) at byte \(offset) is not one this reader accepts"
        case .malformedPickle(let why): return "malformed pickle: \(why)"
        case .unsupportedObject(let what): return "the file asks for \(what), which this reader does not build"
        case .missingStorage(let key): return "tensor data for storage \(key) is missing"
        case .badTensor(let name, let reason): return "tensor \(name): \(reason)"
        case .badHeader(let why): return "bad safetensors header: \(why)"
        case .unsupportedDType(let name, let dtype): return "tensor \(name) has dtype \(dtype); expected F32, F16 or BF16"
        case .missingTensor(let name): return "the file has no tensor \(name)"
        case .shapeMismatch(let name, let expected, let found):
            return "tensor \(name) has shape \(found), expected \(expected)"
        case .unreadable(let path): return "cannot read \(path)"
        case .otherNetwork(let what): return what
        }
    }
}
