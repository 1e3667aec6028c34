import Foundation

/// Builds PyTorch legacy weight files byte by byte, the way `torch.save` (legacy format) lays
/// them out, so the tests can make valid and broken ones without PyTorch.
struct PickleWriter {
    var bytes: [UInt8] = []

    mutating func op(_ byte: UInt8) { bytes.append(byte) }
    mutating func proto() { bytes += [0x80, 2] }
    mutating func stop() { op(0x2E) }
    mutating func mark() { op(0x28) }
    mutating func int(_ n: Int) {
        if (0..<256).contains(n) { bytes += [0x4B, UInt8(n)] }
        else if (0..<65536).contains(n) { bytes += [0x4D, UInt8(n & 0xFF), UInt8(n >> 8)] }
        else { op(0x4A); bytes += withUnsafeBytes(of: Int32(n).littleEndian, Array.init) }
    }
    mutating func string(_ s: String) {
        op(0x58)
        bytes += withUnsafeBytes(of: UInt32(s.utf8.count).littleEndian, Array.init)
        bytes += Array(s.utf8)
    }
    mutating func global(_ module: String, _ name: String) { op(0x63); bytes += Array("\(module)\n\(name)\n".utf8) }
    mutating func tuple(_ items: [Int]) { mark(); items.forEach { int($0) }; op(0x74) }
}

struct FixtureTensor {
    var name: String
    var storageType: String         // "FloatStorage" or "ByteStorage"
    var key: String
    var shape: [Int]
    var stride: [Int]
    var offset = 0
    var declaredCount: Int
}

/// A whole legacy file: the five pickles, then each storage's count and elements.
func legacyFile(tensors: [FixtureTensor], storageKeys: [String]? = nil,
                storages: [String: (count: Int64, bytes: [UInt8])]) -> [UInt8] {
    var w = PickleWriter()
    // 1. magic number
    w.proto(); w.op(0x8A); w.bytes += [10, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]; w.stop()
    // 2. protocol version
    w.proto(); w.int(1001); w.stop()
    // 3. system information
    w.proto(); w.op(0x7D); w.bytes += [0x71, 0]; w.mark()
    w.string("protocol_version"); w.int(1001); w.string("little_endian"); w.op(0x88)
    w.op(0x75); w.stop()
    // 4. the tensors
    w.proto(); w.op(0x7D); w.bytes += [0x71, 1]; w.mark()
    for t in tensors {
        w.string(t.name)
        w.global("torch._utils", "_rebuild_tensor_v2")
        w.mark()
        w.mark(); w.string("storage"); w.global("torch", t.storageType); w.string(t.key); w.string("cpu"); w.int(t.declaredCount); w.op(0x4E); w.op(0x74)
        w.op(0x51)                      // BINPERSID
        w.int(t.offset)
        w.tuple(t.shape)
        w.tuple(t.stride)
        w.op(0x89)                      // requires_grad False
        w.global("collections", "OrderedDict"); w.op(0x29); w.op(0x52)
        w.op(0x74)                      // the arguments tuple
        w.op(0x52)                      // REDUCE
    }
    w.op(0x75); w.stop()
    // 5. storage keys
    let keys = storageKeys ?? Array(Set(tensors.map(\.key))).sorted()
    w.proto(); w.op(0x5D); w.mark(); keys.forEach { w.string($0) }; w.op(0x65); w.stop()
    for key in keys {
        guard let storage = storages[key] else { continue }
        w.bytes += withUnsafeBytes(of: storage.count.littleEndian, Array.init)
        w.bytes += storage.bytes
    }
    return w.bytes
}

func floatBytes(_ values: [Float]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }

/// A small valid file: a 2x3 float tensor, its transpose (a strided view of the same storage),
/// and a uint8 tensor.
func smallValidFile() -> [UInt8] {
    legacyFile(tensors: [
        FixtureTensor(name: "a", storageType: "FloatStorage", key: "7", shape: [2, 3], stride: [3, 1], declaredCount: 6),
        FixtureTensor(name: "aT", storageType: "FloatStorage", key: "7", shape: [3, 2], stride: [1, 3], declaredCount: 6),
        FixtureTensor(name: "q", storageType: "ByteStorage", key: "9", shape: [4], stride: [1], offset: 1, declaredCount: 5),
    ], storages: ["7": (6, floatBytes([1, 2, 3, 4, 5, 6])), "9": (5, [10, 20, 30, 40, 250])])
}
