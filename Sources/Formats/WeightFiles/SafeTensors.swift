import Foundation

// The safetensors format (Hugging Face): an 8-byte little-endian header length N, then N bytes
// of JSON, then the tensor data. The JSON maps each tensor's name to its dtype, its shape and
// `data_offsets` [begin, end), in bytes from the start of the data; "__metadata__" holds
// free-form strings. Every offset, size and shape is checked against the file before anything
// is read: offsets inside the data, sizes equal to what dtype and shape require, no two tensors
// overlapping.

/// The element types this reader converts to Float.
public enum SafeTensorsDType: String, Sendable {
    case f32 = "F32", f16 = "F16", bf16 = "BF16"

    var size: Int { self == .f32 ? 4 : 2 }
}

public struct SafeTensorsFile {
    public struct Entry: Sendable {
        public var name: String
        public var dtype: SafeTensorsDType
        public var shape: [Int]
        /// Byte range within the file.
        public var range: Range<Int>
        public var count: Int { shape.reduce(1, *) }
    }

    /// Headers larger than this are refused (real ones are a few kilobytes).
    public static let maxHeaderBytes = 100 << 20

    public let bytes: [UInt8]
    public private(set) var entries: [String: Entry] = [:]
    /// The header's "__metadata__": free-form strings (empty if the file has none).
    public private(set) var metadata: [String: String] = [:]

    public init(bytes: [UInt8]) throws {
        self.bytes = bytes
        guard bytes.count >= 8 else { throw WeightFileError.truncated("the header length") }
        var length: UInt64 = 0
        for i in 0..<8 { length |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard length <= UInt64(bytes.count - 8) else {
            throw WeightFileError.badHeader("header length \(length) runs past the end of the file (\(bytes.count) bytes)")
        }
        guard length <= UInt64(Self.maxHeaderBytes) else { throw WeightFileError.badHeader("header length \(length) is implausibly large") }
        let dataStart = 8 + Int(length)
        let dataSize = bytes.count - dataStart
        guard let json = try? JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart])), let header = json as? [String: Any] else {
            throw WeightFileError.badHeader("the header is not a JSON object")
        }
        if let value = header["__metadata__"] {
            guard let strings = value as? [String: Any], strings.values.allSatisfy({ $0 is String }) else {
                throw WeightFileError.badHeader("__metadata__ is not an object of strings")
            }
            metadata = strings.mapValues { $0 as! String }
        }
        var ranges: [(Range<Int>, String)] = []
        for (name, value) in header where name != "__metadata__" {
            guard let info = value as? [String: Any], let dtypeName = info["dtype"] as? String,
                  let shapeValues = info["shape"] as? [Any], let offsetValues = info["data_offsets"] as? [Any], offsetValues.count == 2 else {
                throw WeightFileError.badHeader("tensor \(name) lacks dtype, shape or data_offsets")
            }
            guard let dtype = SafeTensorsDType(rawValue: dtypeName) else { throw WeightFileError.unsupportedDType(name: name, dtype: dtypeName) }
            func whole(_ v: Any) -> Int? {
                guard type(of: v) != Bool.self, let n = v as? NSNumber else { return nil }   // true/false are not sizes
                let d = n.doubleValue
                guard d >= 0, d <= 1e15, d == d.rounded() else { return nil }
                return Int(d)
            }
            let shape = shapeValues.compactMap(whole), offsets = offsetValues.compactMap(whole)
            guard shape.count == shapeValues.count, offsets.count == 2 else {
                throw WeightFileError.badTensor(name: name, reason: "shape or data_offsets are not whole numbers")
            }
            var count = 1
            for size in shape {
                let (next, overflow) = count.multipliedReportingOverflow(by: size)
                guard !overflow else { throw WeightFileError.badTensor(name: name, reason: "its size overflows") }
                count = next
            }
            let (bytesNeeded, overflow) = count.multipliedReportingOverflow(by: dtype.size)
            guard !overflow, offsets[0] <= offsets[1], offsets[1] <= dataSize else {
                throw WeightFileError.badTensor(name: name, reason: "data_offsets \(offsets) lie outside the \(dataSize) bytes of data")
            }
            guard offsets[1] - offsets[0] == bytesNeeded else {
                throw WeightFileError.badTensor(name: name, reason: "\(offsets[1] - offsets[0]) bytes for \(count) elements of \(dtypeName)")
            }
            let range = (dataStart + offsets[0])..<(dataStart + offsets[1])
            entries[name] = Entry(name: name, dtype: dtype, shape: shape, range: range)
            ranges.append((range, name))
        }
        ranges.sort { $0.0.lowerBound < $1.0.lowerBound }
        for (a, b) in zip(ranges, ranges.dropFirst()) where a.0.upperBound > b.0.lowerBound {
            throw WeightFileError.badTensor(name: b.1, reason: "its data overlaps that of \(a.1)")
        }
    }

    public func entry(named name: String) throws -> Entry {
        guard let entry = entries[name] else { throw WeightFileError.missingTensor(name) }
        return entry
    }

    /// The tensor's elements as Float (F16 and BF16 widened exactly).
    public func elements(of entry: Entry) -> [Float] {
        var result = [Float](repeating: 0, count: entry.count)
        let start = entry.range.lowerBound
        for n in 0..<entry.count {
            let at = start + n * entry.dtype.size
            switch entry.dtype {
            case .f32:
                result[n] = Float(bitPattern: UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24)
            case .f16:
                result[n] = floatFromHalf(UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8)
            case .bf16:
                // bfloat16 is the top half of a float32.
                result[n] = Float(bitPattern: (UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8) << 16)
            }
        }
        return result
    }
}

/// Writes safetensors files: each tensor as little-endian F32, in the order given, the header's
/// JSON with sorted keys and padded with spaces to a multiple of 8 bytes (so the data is aligned),
/// so the same tensors and metadata always give the same bytes.
public enum SafeTensorsWriter {
    /// The file holding `tensors` (name, shape, values: as many as the shape's product; names
    /// unique and not "__metadata__") and `metadata`.
    public static func encode(_ tensors: [(name: String, shape: [Int], values: [Float])], metadata: [String: String] = [:]) -> [UInt8] {
        precondition(Set(tensors.map(\.name)).count == tensors.count && !tensors.contains { $0.name == "__metadata__" }, "unique tensor names")
        var header: [String: Any] = metadata.isEmpty ? [:] : ["__metadata__": metadata]
        var offset = 0
        for tensor in tensors {
            precondition(tensor.shape.reduce(1, *) == tensor.values.count, "\(tensor.name): values for its shape")
            header[tensor.name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, offset + 4 * tensor.values.count]] as [String: Any]
            offset += 4 * tensor.values.count
        }
        var json = [UInt8](try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        while json.count % 8 != 0 { json.append(0x20) }
        var bytes = [UInt8]()
        bytes.reserveCapacity(8 + json.count + offset)
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: UInt64(json.count) >> (8 * UInt64(i)))) }
        bytes += json
        for tensor in tensors {
            for value in tensor.values {
                let bits = value.bitPattern
                bytes += [UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8), UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 24)]
            }
        }
        return bytes
    }
}

/// An IEEE 754 half-precision number (1 sign bit, 5 exponent bits with bias 15, 10 fraction
/// bits) as a Float, exactly: every half is a float. Written out because Swift's `Float16` is
/// missing on Intel Macs.
func floatFromHalf(_ bits: UInt16) -> Float {
    let sign = UInt32(bits >> 15) << 31
    let exponent = Int((bits >> 10) & 0x1F), fraction = UInt32(bits & 0x3FF)
    switch exponent {
    case 0:
        // Zero or subnormal: fraction x 2^-24, exact in a float.
        let magnitude = Float(fraction) * 0x1p-24
        return sign == 0 ? magnitude : -magnitude
    case 0x1F:
        // Infinity (fraction 0) or NaN: the float's all-ones exponent, the fraction kept on top.
        return Float(bitPattern: sign | 0x7F80_0000 | fraction << 13)
    default:
        // Normal: rebias the exponent from 15 to 127 and widen the fraction from 10 to 23 bits.
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | fraction << 13)
    }
}
