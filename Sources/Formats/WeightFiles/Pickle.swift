// A small pickle machine: Python's pickle format (protocol 2), read by a stack machine, for
// the opcodes PyTorch's legacy weight files use (docs/DESIGN.md, section 3) and no others.
//
// A pickle is a program. Each opcode pushes a value (a number, a string, an empty list), or
// builds one from values already on the stack (TUPLE takes everything since the last MARK), or
// files one away in the memo (BINPUT) to fetch again later (BINGET). STOP ends the program and
// the value on top of the stack is the result. Python's own unpickler runs arbitrary code
// through GLOBAL + REDUCE; this one never calls anything: GLOBAL and REDUCE only *record* what
// would be called, and the reader that interprets the result accepts two callables by name.
//
// Memory stays proportional to the file: every opcode reads at least one byte, and no count
// read from the file is used to reserve memory before the bytes it describes are there.

/// A value the machine builds. Lists and dicts are reference types, as in Python: a list filed in
/// the memo and then filled by APPENDS is the same list when fetched again.
public indirect enum PickleValue: Sendable {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer too long for `Int` (LONG1 with more than 8 bytes): its little-endian bytes.
    case largeInt([UInt8])
    case string(String)
    case tuple([PickleValue])
    case list(PickleList)
    case dict(PickleDict)
    /// `module.name`, as GLOBAL names it.
    case global(module: String, name: String)
    /// What REDUCE would compute: `callable(*arguments)`, not called.
    case call(callable: PickleValue, arguments: [PickleValue])
    /// What BINPERSID would load: the persistent id (for PyTorch, a storage description).
    case persistent(PickleValue)

    /// A short description for error messages.
    public var kind: String {
        switch self {
        case .none: return "None"
        case .bool: return "a bool"
        case .int, .largeInt: return "an int"
        case .string: return "a string"
        case .tuple: return "a tuple"
        case .list: return "a list"
        case .dict: return "a dict"
        case .global(let module, let name): return "\(module).\(name)"
        case .call(let callable, _): return "a call of \(callable.kind)"
        case .persistent: return "a persistent id"
        }
    }
}

public final class PickleList: @unchecked Sendable {
    public var items: [PickleValue] = []
    public init(_ items: [PickleValue] = []) { self.items = items }
}

public final class PickleDict: @unchecked Sendable {
    /// Key-value pairs in insertion order (the keys a weight file uses are strings).
    public var pairs: [(key: PickleValue, value: PickleValue)] = []
    public init() {}
}

/// The opcodes, by byte, with the names pickletools gives them. The machine implements the
/// ones marked `accepted`; any other known opcode is rejected by name.
enum PickleOpcode: UInt8 {
    case proto = 0x80, stop = 0x2E, mark = 0x28, long1 = 0x8A, binint = 0x4A, binint1 = 0x4B, binint2 = 0x4D
    case binunicode = 0x58, none = 0x4E, newtrue = 0x88, newfalse = 0x89
    case emptyDict = 0x7D, emptyList = 0x5D, emptyTuple = 0x29, tuple = 0x74, tuple1 = 0x85
    case setitems = 0x75, appends = 0x65, global = 0x63, reduce = 0x52, binpersid = 0x51
    case binput = 0x71, longBinput = 0x72, binget = 0x68

    /// Names of the pickle opcodes this reader does not implement, for the error message.
    static let otherNames: [UInt8: String] = [
        0x61: "APPEND", 0x62: "BUILD", 0x64: "DICT", 0x46: "FLOAT", 0x47: "BINFLOAT", 0x49: "INT", 0x4C: "LONG",
        0x8B: "LONG4", 0x6A: "LONG_BINGET", 0x67: "GET", 0x70: "PUT", 0x6C: "LIST", 0x6F: "OBJ", 0x69: "INST",
        0x81: "NEWOBJ", 0x92: "NEWOBJ_EX", 0x86: "TUPLE2", 0x87: "TUPLE3", 0x73: "SETITEM", 0x53: "STRING",
        0x54: "BINSTRING", 0x55: "SHORT_BINSTRING", 0x56: "UNICODE", 0x8C: "SHORT_BINUNICODE", 0x8D: "BINUNICODE8",
        0x42: "BINBYTES", 0x43: "SHORT_BINBYTES", 0x8E: "BINBYTES8", 0x96: "BYTEARRAY8", 0x97: "NEXT_BUFFER",
        0x98: "READONLY_BUFFER", 0x30: "POP", 0x31: "POP_MARK", 0x32: "DUP", 0x50: "PERSID", 0x93: "STACK_GLOBAL",
        0x94: "MEMOIZE", 0x95: "FRAME", 0x82: "EXT1", 0x83: "EXT2", 0x84: "EXT4", 0x8F: "EMPTY_SET",
        0x90: "ADDITEMS", 0x91: "FROZENSET",
    ]
}

/// Runs one pickle program starting at `offset` of `bytes`; `offset` ends just after its STOP.
public struct PickleMachine {
    let bytes: [UInt8]
    public private(set) var offset: Int
    var stack: [PickleValue] = []
    /// Positions in `stack` where each open MARK was made.
    var marks: [Int] = []
    var memo: [Int: PickleValue] = [:]

    public init(bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// Runs the program to its STOP and returns the value on top of the stack.
    public mutating func run() throws -> PickleValue {
        while true {
            let at = offset
            let byte = try readByte("an opcode")
            guard let opcode = PickleOpcode(rawValue: byte) else {
                throw WeightFileError.unsupportedOpcode(name: PickleOpcode.otherNames[byte] ?? "unknown", byte: byte, offset: at)
            }
            switch opcode {
            case .proto:
                let version = try readByte("the protocol number")
                guard version <= 2 else { throw WeightFileError.malformedPickle("protocol \(version); this reader knows protocol 2") }
            case .stop:
                // Like pop, STOP may not reach below an open MARK. Each pickle starts afresh, as
                // Python's pickle.load does: what STOP leaves on the stack is dropped.
                guard stack.count > (marks.last ?? 0), let result = stack.popLast() else {
                    throw WeightFileError.malformedPickle("STOP with nothing on the stack above its last MARK")
                }
                stack.removeAll()
                marks.removeAll()
                return result
            case .mark: marks.append(stack.count)
            case .long1:
                let count = Int(try readByte("LONG1's length"))
                let digits = try read(count, "LONG1's digits")
                guard count <= 8 else { stack.append(.largeInt(Array(digits))); continue }
                var value: UInt64 = 0
                for (i, d) in digits.enumerated() { value |= UInt64(d) << (8 * UInt64(i)) }
                if count > 0 && count < 8 && digits.last! & 0x80 != 0 { value |= ~0 << (8 * UInt64(count)) } // sign-extend
                stack.append(.int(Int(Int64(bitPattern: value))))
            case .binint: stack.append(.int(Int(Int32(bitPattern: try littleEndian(4, "BININT")))))
            case .binint1: stack.append(.int(Int(try readByte("BININT1"))))
            case .binint2: stack.append(.int(Int(try littleEndian(2, "BININT2"))))
            case .binunicode:
                let length = Int(try littleEndian(4, "BINUNICODE's length"))
                let text = try read(length, "a BINUNICODE string of \(length) bytes")
                guard let string = String(validating: text, as: UTF8.self) else { throw WeightFileError.malformedPickle("a string that is not UTF-8") }
                stack.append(.string(string))
            case .none: stack.append(.none)
            case .newtrue: stack.append(.bool(true))
            case .newfalse: stack.append(.bool(false))
            case .emptyDict: stack.append(.dict(PickleDict()))
            case .emptyList: stack.append(.list(PickleList()))
            case .emptyTuple: stack.append(.tuple([]))
            case .tuple: stack.append(.tuple(try popToMark("TUPLE")))
            case .tuple1: stack.append(.tuple([try pop("TUPLE1")]))
            case .setitems:
                let items = try popToMark("SETITEMS")
                guard items.count % 2 == 0 else { throw WeightFileError.malformedPickle("SETITEMS with an odd number of items") }
                guard case .dict(let dict) = try top("SETITEMS") else { throw WeightFileError.malformedPickle("SETITEMS on something that is not a dict") }
                for i in stride(from: 0, to: items.count, by: 2) { dict.pairs.append((items[i], items[i + 1])) }
            case .appends:
                let items = try popToMark("APPENDS")
                guard case .list(let list) = try top("APPENDS") else { throw WeightFileError.malformedPickle("APPENDS on something that is not a list") }
                list.items += items
            case .global:
                let module = try readLine("GLOBAL's module"), name = try readLine("GLOBAL's name")
                stack.append(.global(module: module, name: name))
            case .reduce:
                let arguments = try pop("REDUCE"), callable = try pop("REDUCE")
                guard case .tuple(let list) = arguments else { throw WeightFileError.malformedPickle("REDUCE's arguments are not a tuple") }
                stack.append(.call(callable: callable, arguments: list))
            case .binpersid: stack.append(.persistent(try pop("BINPERSID")))
            case .binput: memo[Int(try readByte("BINPUT's index"))] = try top("BINPUT")
            case .longBinput: memo[Int(try littleEndian(4, "LONG_BINPUT's index"))] = try top("LONG_BINPUT")
            case .binget:
                let index = Int(try readByte("BINGET's index"))
                guard let value = memo[index] else { throw WeightFileError.malformedPickle("BINGET \(index) of nothing stored") }
                stack.append(value)
            }
        }
    }

    mutating func readByte(_ what: String) throws -> UInt8 {
        guard offset < bytes.count else { throw WeightFileError.truncated(what) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func read(_ count: Int, _ what: String) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - offset else { throw WeightFileError.truncated(what) }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    mutating func littleEndian(_ count: Int, _ what: String) throws -> UInt32 {
        var value: UInt32 = 0
        for (i, byte) in try read(count, what).enumerated() { value |= UInt32(byte) << (8 * UInt32(i)) }
        return value
    }

    /// A newline-terminated ASCII line (GLOBAL's arguments), at most 256 bytes.
    mutating func readLine(_ what: String) throws -> String {
        var line: [UInt8] = []
        while true {
            let byte = try readByte(what)
            if byte == 0x0A { break }
            guard line.count < 256, byte >= 0x20, byte < 0x7F else { throw WeightFileError.malformedPickle("\(what) is not a short ASCII line") }
            line.append(byte)
        }
        return String(decoding: line, as: UTF8.self)
    }

    mutating func pop(_ opcode: String) throws -> PickleValue {
        guard stack.count > (marks.last ?? 0), let value = stack.popLast() else {
            throw WeightFileError.malformedPickle("\(opcode) with nothing on the stack")
        }
        return value
    }

    func top(_ opcode: String) throws -> PickleValue {
        guard let value = stack.last else { throw WeightFileError.malformedPickle("\(opcode) with nothing on the stack") }
        return value
    }

    mutating func popToMark(_ opcode: String) throws -> [PickleValue] {
        guard let mark = marks.popLast(), mark <= stack.count else { throw WeightFileError.malformedPickle("\(opcode) without a MARK") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }
}
