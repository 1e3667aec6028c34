import Tensors

/// "Record the activations of each layer": every layer's output for one input, kept by name
/// and in order. The content and style chapters rest on exactly this: they run a picture through
/// VGG19 and keep what chosen layers produced.
public struct RecordedActivations: Sendable {
    /// (layer name, its output), input first.
    public private(set) var layers: [(name: String, activations: Tensor)] = []

    /// No layer recorded yet.
    public init() {}

    /// Records a layer's output under its name, after the layers recorded before it.
    public mutating func record(_ name: String, _ activations: Tensor) {
        layers.append((name, activations))
    }

    /// The recorded output of the layer called `name`.
    public subscript(name: String) -> Tensor {
        guard let layer = layers.first(where: { $0.name == name }) else { preconditionFailure("no layer called \(name) was recorded") }
        return layer.activations
    }

    /// The recorded layers' names, in the order they ran.
    public var names: [String] { layers.map(\.name) }
}
