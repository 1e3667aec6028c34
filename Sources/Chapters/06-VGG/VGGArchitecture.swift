// The VGG networks (Simonyan and Zisserman, 2014). Their feature part is a stack of 3x3
// convolutions, stride 1 and padding 1, each followed by a ReLU, in five blocks separated by
// 2x2 pooling; the configurations differ only in how many convolutions each block has.
// Gatys et al. used configuration E, VGG19 (16 convolutions); configuration D, VGG16
// (13 convolutions), is the other one people load. We name layers the way the style-transfer
// literature does: conv1_1, relu1_1, conv1_2, relu1_2, pool1, conv2_1, ..., pool5.

/// One step of the feature stack.
public enum VGGLayer: Sendable, Equatable {
    case convolution(index: Int, name: String)
    case relu(name: String)
    case pool(name: String)

    /// Whether this is a ReLU.
    public var isReLU: Bool {
        if case .relu = self { return true }
        return false
    }

    /// Whether this is a convolution.
    public var isConvolution: Bool {
        if case .convolution = self { return true }
        return false
    }

    /// The layer's name: conv1_1, relu1_1, ..., pool5.
    public var name: String {
        switch self {
        case .convolution(_, let name), .relu(let name), .pool(let name): return name
        }
    }
}

/// Which VGG: the layers of its feature stack, in order, with their names and shapes.
public enum VGGArchitecture: String, Sendable, CaseIterable {
    case vgg16, vgg19

    /// "VGG16" or "VGG19".
    public var name: String { rawValue.uppercased() }

    /// Convolutions per block, and the channels each block produces.
    public var blocks: [(convolutions: Int, channels: Int)] {
        switch self {
        case .vgg16: return [(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)]
        case .vgg19: return [(2, 64), (2, 128), (4, 256), (4, 512), (4, 512)]
        }
    }

    /// The convolutions' names and (input, output) channels, in order.
    public var convolutionShapes: [(name: String, inputChannels: Int, outputChannels: Int)] {
        var shapes: [(String, Int, Int)] = []
        var channels = 3
        for (b, block) in blocks.enumerated() {
            for i in 1...block.convolutions {
                shapes.append(("conv\(b + 1)_\(i)", channels, block.channels))
                channels = block.channels
            }
        }
        return shapes
    }

    /// Every layer in order: conv, relu, conv, relu, pool, ...
    public var layers: [VGGLayer] {
        switch self {
        case .vgg16: return Self.vgg16Layers
        case .vgg19: return Self.vgg19Layers
        }
    }

    private static let vgg16Layers = stack(VGGArchitecture.vgg16.blocks)
    private static let vgg19Layers = stack(VGGArchitecture.vgg19.blocks)

    private static func stack(_ blocks: [(convolutions: Int, channels: Int)]) -> [VGGLayer] {
        var layers: [VGGLayer] = []
        var index = 0
        for (b, block) in blocks.enumerated() {
            for i in 1...block.convolutions {
                layers.append(.convolution(index: index, name: "conv\(b + 1)_\(i)"))
                layers.append(.relu(name: "relu\(b + 1)_\(i)"))
                index += 1
            }
            layers.append(.pool(name: "pool\(b + 1)"))
        }
        return layers
    }

    /// Where the layer called `name` sits in `layers` (nil if this network has none).
    public func layerIndex(_ name: String) -> Int? { layers.firstIndex { $0.name == name } }

    /// How many 2x2 poolings come before the layer called `name`: its maps are the image's size
    /// halved that many times.
    public func poolings(before name: String) -> Int {
        layers[..<layerIndex(name)!].filter { if case .pool = $0 { return true } else { return false } }.count
    }

    /// The deepest of `names` (all layer names): where a forward pass that needs them can stop.
    public func deepest(of names: [String]) -> String {
        let known = names.filter { layerIndex($0) != nil }
        precondition(!known.isEmpty && known.count == names.count, "deepest(of: \(names)) needs one or more of \(name)'s layers")
        return known.max { layerIndex($0)! < layerIndex($1)! }!
    }
}
