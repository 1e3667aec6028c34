import XCTest
import SeededRandom
import Foundation
import Tensors
@testable import WeightFiles
@testable import VGG

/// safetensors files the tests write: the header, then the data.
func safetensorsFile(_ header: String, data: [UInt8]) -> [UInt8] {
    let json = Array(header.utf8)
    return withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json + data
}

final class SafeTensorsTests: XCTestCase {
    /// Every one of the 65,536 half-precision bit patterns widens as Swift's own Float16 does
    /// (where it exists: not on Intel Macs, which is why the conversion is written out).
    func testHalfToFloatMatchesFloat16Everywhere() {
        #if !(os(macOS) && arch(x86_64))
        for bits in 0...UInt16.max {
            let ours = floatFromHalf(bits), swift = Float(Float16(bitPattern: bits))
            XCTAssertTrue(ours.bitPattern == swift.bitPattern || (ours.isNaN && swift.isNaN), "half 0x\(String(bits, radix: 16))")
        }
        #endif
        XCTAssertEqual(floatFromHalf(0x3C00), 1)
        XCTAssertEqual(floatFromHalf(0xC000), -2)
        XCTAssertEqual(floatFromHalf(0x0001), 0x1p-24)          // the smallest subnormal
        XCTAssertEqual(floatFromHalf(0x7BFF), 65504)           // the largest normal
        XCTAssertEqual(floatFromHalf(0xFC00), -.infinity)
    }

    func testReadsF32F16AndBF16() throws {
        let f32 = floatBytes([1.5, -2, 3.25])
        let f16: [UInt8] = [0x00, 0x3C, 0x00, 0xC0]            // 1.0, -2.0 as IEEE half
        let bf16: [UInt8] = [0xC0, 0x3F, 0x80, 0xBF]           // 1.5, -1.0 as bfloat16 (top halves of float32)
        let header = #"{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"#
            + #""b":{"dtype":"F16","shape":[2,1],"data_offsets":[12,16]},"c":{"dtype":"BF16","shape":[2],"data_offsets":[16,20]}}"#
        let file = try SafeTensorsFile(bytes: safetensorsFile(header, data: f32 + f16 + bf16))
        XCTAssertEqual(file.elements(of: try file.entry(named: "a")), [1.5, -2, 3.25])
        XCTAssertEqual(file.elements(of: try file.entry(named: "b")), [1, -2])
        XCTAssertEqual(try file.entry(named: "b").shape, [2, 1])
        XCTAssertEqual(file.elements(of: try file.entry(named: "c")), [1.5, -1])
    }

    /// The writer's files read back: names, shapes, values to the bit (NaN and infinities
    /// included), metadata; the data aligned to 8 bytes; the same input, the same bytes.
    func testWrittenFilesReadBack() throws {
        let tensors: [(name: String, shape: [Int], values: [Float])] = [
            ("b.weight", [2, 3], [1, -2.5, .pi, .infinity, -0.0, .leastNonzeroMagnitude]),
            ("a", [4], [0, .nan, -.greatestFiniteMagnitude, 7]), ("empty", [0, 3], []),
        ]
        let bytes = SafeTensorsWriter.encode(tensors, metadata: ["width": "16", "style": "The \"Starry\" Night"])
        XCTAssertEqual(bytes, SafeTensorsWriter.encode(tensors, metadata: ["style": "The \"Starry\" Night", "width": "16"]))
        let file = try SafeTensorsFile(bytes: bytes)
        XCTAssertEqual(file.metadata, ["width": "16", "style": "The \"Starry\" Night"])
        XCTAssertEqual(Set(file.entries.keys), ["b.weight", "a", "empty"])
        for tensor in tensors {
            let entry = try file.entry(named: tensor.name)
            XCTAssertEqual(entry.shape, tensor.shape)
            XCTAssertEqual(file.elements(of: entry).map(\.bitPattern), tensor.values.map(\.bitPattern), tensor.name)
        }
        let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
        XCTAssertEqual((8 + headerLength) % 8, 0, "the data starts on 8 bytes")
        XCTAssertTrue(SafeTensorsWriter.encode(tensors).count < bytes.count, "no metadata, no __metadata__")
        XCTAssertEqual(try SafeTensorsFile(bytes: SafeTensorsWriter.encode(tensors)).metadata, [:])
    }

    func testMetadataMustBeStrings() {
        let header = Array(#"{"__metadata__":{"width":16}}"#.utf8)
        let bytes = (0..<8).map { UInt8(truncatingIfNeeded: header.count >> (8 * $0)) } + header
        XCTAssertThrowsError(try SafeTensorsFile(bytes: bytes)) { error in
            XCTAssertEqual("\(error)", "bad safetensors header: __metadata__ is not an object of strings")
        }
    }

    func testMalformedFilesAreRefusedWithAReason() {
        let data = floatBytes([1, 2, 3, 4])
        func refuses(_ bytes: [UInt8], _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertThrowsError(try SafeTensorsFile(bytes: bytes), file: file, line: line) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(error)", file: file, line: line)
            }
        }
        // A header length past the end of the file.
        refuses(withUnsafeBytes(of: UInt64(1 << 40).littleEndian, Array.init) + Array("{}".utf8), "runs past the end")
        refuses([1, 2, 3], "ends too early")
        // Not JSON.
        refuses(safetensorsFile("{not json", data: data), "not a JSON object")
        // Offsets out of range, and sizes that do not match the dtype and shape.
        refuses(safetensorsFile(#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,20]}}"#, data: data), "outside")
        refuses(safetensorsFile(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}}"#, data: data), "16 bytes for 3 elements")
        refuses(safetensorsFile(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, data: data), "outside")
        // Overlapping tensors.
        refuses(safetensorsFile(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#,
                                data: data), "overlaps")
        // A dtype this reader does not convert.
        refuses(safetensorsFile(#"{"a":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}}"#, data: data), "I64")
        // Negative or fractional sizes, and a shape whose product overflows.
        refuses(safetensorsFile(#"{"a":{"dtype":"F32","shape":[-4],"data_offsets":[0,16]}}"#, data: data), "whole numbers")
        refuses(safetensorsFile(#"{"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,16]}}"#, data: data), "whole numbers")
        refuses(safetensorsFile(#"{"a":{"dtype":"F32","shape":[100000000000000,100000000000000],"data_offsets":[0,16]}}"#, data: data), "overflows")
        refuses(safetensorsFile(#"{"a":{"dtype":"F32","shape":[4]}}"#, data: data), "lacks")
    }

    func testSeededMutationsNeverCrash() {
        let original = safetensorsFile(#"{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[16,20]}}"#,
                                       data: floatBytes([1, 2, 3, 4]) + [0, 0x3F, 0, 0x40])
        var rng = SplitMix64(seed: 5)
        for _ in 0..<2000 {
            var bytes = original
            bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
            if let file = try? SafeTensorsFile(bytes: bytes) {
                for entry in file.entries.values { _ = file.elements(of: entry) }
            }
        }
    }

    /// A safetensors file in torchvision's layout for `architecture`: each convolution's weights
    /// are its position n in the feature stack, in BF16, and its biases -n, in F32.
    func torchvisionFile(_ architecture: VGGArchitecture) -> [UInt8] {
        var header: [String] = [], data: [UInt8] = []
        for shape in architecture.convolutionShapes {
            let n = architecture.layerIndex(shape.name)!
            let weightCount = shape.outputChannels * shape.inputChannels * 9
            let bf16 = withUnsafeBytes(of: (Float(n).bitPattern >> 16).littleEndian) { Array($0.prefix(2)) }
            header.append(#""features.\#(n).weight":{"dtype":"BF16","shape":[\#(shape.outputChannels),\#(shape.inputChannels),3,3],"data_offsets":[\#(data.count),\#(data.count + 2 * weightCount)]}"#)
            for _ in 0..<weightCount { data += bf16 }
            header.append(#""features.\#(n).bias":{"dtype":"F32","shape":[\#(shape.outputChannels)],"data_offsets":[\#(data.count),\#(data.count + 4 * shape.outputChannels)]}"#)
            data += floatBytes([Float](repeating: -Float(n), count: shape.outputChannels))
        }
        return safetensorsFile("{" + header.joined(separator: ",") + "}", data: data)
    }

    /// torchvision's layout: features.N.weight with N counting ReLUs and poolings too.
    func testVGG19InTorchvisionLayoutLoadsEveryConvolution() throws {
        let network = try VGG.torchvision(safetensors: torchvisionFile(.vgg19))
        XCTAssertEqual(network.architecture, .vgg19)
        XCTAssertEqual(network.preprocessing, .torchvision)
        XCTAssertEqual(network.convolutions[0].weights.data.first, 0)              // features.0
        XCTAssertEqual(network.convolutions[1].weights.data.first, 2)              // features.2
        XCTAssertEqual(network.convolutions[2].weights.data.first, 5)              // features.5, after pool1
        XCTAssertEqual(network.convolutions[15].weights.data.first, 34)            // features.34
        XCTAssertEqual(network.convolutions[15].bias.data.first, -34)
    }

    func testVGG16InTorchvisionLayoutLoadsEveryConvolution() throws {
        let network = try VGG.torchvision(safetensors: torchvisionFile(.vgg16), architecture: .vgg16)
        XCTAssertEqual(network.architecture, .vgg16)
        XCTAssertEqual(network.convolutions.count, 13)
        XCTAssertEqual(network.convolutions[6].weights.data.first, 14)             // conv3_3 is features.14
        XCTAssertEqual(network.convolutions[7].weights.data.first, 17)             // conv4_1, after pool3
        XCTAssertEqual(network.convolutions[12].weights.shape, [512, 512, 3, 3])
        XCTAssertEqual(network.convolutions[12].bias.data.last, -28)               // features.28
    }

    /// A file of the other VGG is named as such, with the option that reads it.
    func testTheOtherVGGIsNamed() {
        XCTAssertThrowsError(try VGG.torchvision(safetensors: torchvisionFile(.vgg16), architecture: .vgg19)) { error in
            XCTAssertEqual("\(error)", "the file holds VGG16's 13 convolutions, not VGG19's 16: pass --network vgg16")
        }
        XCTAssertThrowsError(try VGG.pretrained(weights: "/nonexistent.bin", architecture: .vgg16)) { error in
            XCTAssertTrue("\(error)".contains("must be a .safetensors file"), "\(error)")
        }
    }

    func testTorchvisionPreprocessingRoundTrips() {
        let rgb = Tensor(shape: [3, 1, 2], data: [0, 255, 128, 64, 10, 200])
        for preprocessing in [Preprocessing.caffe, .torchvision] {
            let back = preprocessing.invert(preprocessing.apply(rgb))
            for (a, b) in zip(back.data, rgb.data) { XCTAssertEqual(a, b, accuracy: 1e-3) }
        }
        // torchvision: red 255 -> (1 - 0.485) / 0.229 in channel 0 (RGB order kept).
        XCTAssertEqual(Preprocessing.torchvision.apply(rgb).data[1], (1 - 0.485) / 0.229, accuracy: 1e-5)
        // Caffe: channel 0 is blue, minus 103.939.
        XCTAssertEqual(Preprocessing.caffe.apply(rgb).data[0], 10 - 103.939, accuracy: 1e-4)
    }
}
