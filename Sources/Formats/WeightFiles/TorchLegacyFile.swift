// PyTorch's legacy serialization (torch.save before the zip format), as docs/DESIGN.md
// section 3 describes it: five pickles one after another, then the raw tensor data.
//
//   1. the magic number 0x1950a86a20f9469cfc6c (LONG1)
//   2. the protocol version, 1001
//   3. a dict of system information (byte order, sizes of C types)
//   4. the main pickle: a dict from names to tensors, each one
//      torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, OrderedDict())
//      where `storage` is a persistent id ('storage', torch.FloatStorage, key, 'cpu', count, None)
//   5. the list of storage keys
// then, for each key in that list's order, the element count (little-endian int64) and the
// elements (little-endian float32 for FloatStorage, uint8 for ByteStorage).
//
// Nothing is trusted: every count is checked against the bytes that are really there before
// anything is read or allocated, and every tensor's strides are checked to stay inside its storage.

/// The element types this reader accepts.
public enum StorageType: String, Sendable {
    case float32 = "FloatStorage", uint8 = "ByteStorage"

    var elementSize: Int { self == .float32 ? 4 : 1 }
}

/// One tensor as the file describes it: where its elements are, not yet the elements.
public struct StoredTensor: Sendable {
    public var name: String
    public var type: StorageType
    public var shape: [Int]
    public var stride: [Int]
    public var storageOffset: Int
    public var storageKey: String
    public var count: Int { shape.reduce(1, *) }
}

public struct TorchLegacyFile {
    static let magic: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]

    public let bytes: [UInt8]
    /// The tensors, in the order the main pickle lists them.
    public private(set) var tensors: [StoredTensor] = []
    /// Each storage's element type and where its elements start and how many there are.
    var storages: [String: (type: StorageType, start: Int, count: Int)] = [:]

    public init(bytes: [UInt8]) throws {
        self.bytes = bytes
        // The first pickle is PROTO 2, LONG1 of 10 bytes, the magic number: say so plainly for
        // a file that is something else altogether, before any opcode is read.
        guard bytes.starts(with: [0x80, 0x02, 0x8A, 0x0A] + Self.magic) else {
            throw WeightFileError.malformedPickle("not a PyTorch legacy weight file (it does not begin with the magic number)")
        }
        var machine = PickleMachine(bytes: bytes)
        guard case .largeInt(let magic) = try machine.run(), magic == Self.magic else {
            throw WeightFileError.malformedPickle("not a PyTorch legacy file (no magic number)")
        }
        guard case .int(1001) = try machine.run() else { throw WeightFileError.malformedPickle("protocol version is not 1001") }
        guard case .dict(let system) = try machine.run() else { throw WeightFileError.malformedPickle("no system information") }
        for (key, value) in system.pairs {
            if case .string("little_endian") = key, case .bool(false) = value {
                throw WeightFileError.unsupportedObject("big-endian data")
            }
        }
        guard case .dict(let main) = try machine.run() else { throw WeightFileError.malformedPickle("the main pickle is not a dict") }
        var declared: [String: (type: StorageType, count: Int)] = [:]
        for (key, value) in main.pairs {
            guard case .string(let name) = key else { throw WeightFileError.malformedPickle("a tensor name that is not a string") }
            let tensor = try Self.tensor(named: name, from: value)
            if let earlier = declared[tensor.storage.key], earlier.type != tensor.storage.type || earlier.count != tensor.storage.count {
                throw WeightFileError.badTensor(name: name, reason: "storage \(tensor.storage.key) declared twice, differently")
            }
            declared[tensor.storage.key] = (tensor.storage.type, tensor.storage.count)
            tensors.append(tensor.stored)
        }
        guard case .list(let keyList) = try machine.run() else { throw WeightFileError.malformedPickle("no list of storage keys") }

        var offset = machine.offset
        for item in keyList.items {
            guard case .string(let key) = item else { throw WeightFileError.malformedPickle("a storage key that is not a string") }
            guard let storage = declared[key] else { throw WeightFileError.malformedPickle("storage \(key) is listed but no tensor uses it") }
            guard bytes.count - offset >= 8 else { throw WeightFileError.truncated("the element count of storage \(key)") }
            var count: UInt64 = 0
            for i in 0..<8 { count |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
            offset += 8
            let available = (bytes.count - offset) / storage.type.elementSize
            guard count <= UInt64(available) else {
                throw WeightFileError.truncated("storage \(key) claims \(count) elements; \(available) are left in the file")
            }
            guard Int(count) == storage.count else {
                throw WeightFileError.badTensor(name: key, reason: "storage holds \(count) elements, the tensor said \(storage.count)")
            }
            storages[key] = (storage.type, offset, Int(count))
            offset += Int(count) * storage.type.elementSize
        }
        for tensor in tensors {
            guard let storage = storages[tensor.storageKey] else { throw WeightFileError.missingStorage(tensor.storageKey) }
            // The last element the strides reach must lie inside the storage.
            var last = tensor.storageOffset
            for (size, stride) in zip(tensor.shape, tensor.stride) where size > 0 {
                let (step, overflow1) = (size - 1).multipliedReportingOverflow(by: stride)
                let (sum, overflow2) = last.addingReportingOverflow(step)
                guard !overflow1, !overflow2 else { throw WeightFileError.badTensor(name: tensor.name, reason: "strides overflow") }
                last = sum
            }
            guard tensor.count == 0 || last < storage.count else {
                throw WeightFileError.badTensor(name: tensor.name, reason: "reaches element \(last) of a storage of \(storage.count)")
            }
            // A stride of 0 lets a tiny storage claim any number of elements; weights are never
            // stored that way, and reading one would allocate what the file does not hold.
            guard tensor.count <= storage.count else {
                throw WeightFileError.badTensor(name: tensor.name, reason: "has \(tensor.count) elements, more than its storage's \(storage.count)")
            }
        }
    }

    /// Interprets one value of the main dict: a `_rebuild_tensor_v2` call on a storage.
    static func tensor(named name: String, from value: PickleValue) throws
        -> (stored: StoredTensor, storage: (key: String, type: StorageType, count: Int)) {
        guard case .call(let callable, let arguments) = value else {
            throw WeightFileError.badTensor(name: name, reason: "is \(value.kind), not a tensor")
        }
        guard case .global("torch._utils", "_rebuild_tensor_v2") = callable else { throw WeightFileError.unsupportedObject(callable.kind) }
        guard arguments.count == 6, case .persistent(.tuple(let id)) = arguments[0], case .int(let offset) = arguments[1],
              case .tuple(let sizes) = arguments[2], case .tuple(let strides) = arguments[3] else {
            throw WeightFileError.badTensor(name: name, reason: "unexpected arguments to _rebuild_tensor_v2")
        }
        if case .call(let hooks, let hookArguments) = arguments[5] {
            guard case .global("collections", "OrderedDict") = hooks, hookArguments.isEmpty else {
                throw WeightFileError.unsupportedObject(hooks.kind)
            }
        }
        guard id.count == 6, case .string("storage") = id[0], case .global("torch", let typeName) = id[1],
              case .string(let key) = id[2], case .int(let count) = id[4], count >= 0 else {
            throw WeightFileError.badTensor(name: name, reason: "its storage is not ('storage', type, key, location, count, None)")
        }
        guard let type = StorageType(rawValue: typeName) else { throw WeightFileError.unsupportedObject("torch.\(typeName)") }
        func integers(_ values: [PickleValue]) throws -> [Int] {
            try values.map {
                guard case .int(let n) = $0, n >= 0 else { throw WeightFileError.badTensor(name: name, reason: "a size or stride that is not a whole number") }
                return n
            }
        }
        let shape = try integers(sizes), stride = try integers(strides)
        guard shape.count == stride.count, offset >= 0 else { throw WeightFileError.badTensor(name: name, reason: "sizes and strides differ in number") }
        var product = 1
        for size in shape {
            let (next, overflow) = product.multipliedReportingOverflow(by: size)
            guard !overflow else { throw WeightFileError.badTensor(name: name, reason: "its size overflows") }
            product = next
        }
        return (StoredTensor(name: name, type: type, shape: shape, stride: stride, storageOffset: offset, storageKey: key), (key, type, count))
    }

    public func tensor(named name: String) throws -> StoredTensor {
        guard let tensor = tensors.first(where: { $0.name == name }) else { throw WeightFileError.missingTensor(name) }
        return tensor
    }

    /// The tensor's elements in row-major order, as floats (uint8 elements become 0...255).
    public func elements(of tensor: StoredTensor) -> [Float] {
        let storage = storages[tensor.storageKey]!   // checked in init
        var result = [Float](repeating: 0, count: tensor.count)
        // Row-major contiguous (the usual case): one pass over the elements, in order.
        var expected = 1, contiguous = true
        for d in stride(from: tensor.shape.count - 1, through: 0, by: -1) where tensor.shape[d] > 1 {
            if tensor.stride[d] != expected { contiguous = false }
            expected *= tensor.shape[d]
        }
        if contiguous {
            let start = storage.start + tensor.storageOffset * storage.type.elementSize
            for n in 0..<tensor.count { result[n] = element(at: start + n * storage.type.elementSize, storage.type) }
            return result
        }
        var index = [Int](repeating: 0, count: tensor.shape.count)
        for n in 0..<tensor.count {
            var element = tensor.storageOffset
            for d in 0..<index.count { element += index[d] * tensor.stride[d] }
            result[n] = self.element(at: storage.start + element * storage.type.elementSize, storage.type)
            var d = index.count - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < tensor.shape[d] { break }
                index[d] = 0
                d -= 1
            }
        }
        return result
    }

    /// One little-endian element at byte `at`.
    func element(at offset: Int, _ type: StorageType) -> Float {
        switch type {
        case .uint8: return Float(bytes[offset])
        case .float32:
            return Float(bitPattern: UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24)
        }
    }
}
