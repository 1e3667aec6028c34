import Tensors
import WeightFiles

// A trained network as a file: a safetensors file (the format torchvision's weights come in,
// read by Sources/Formats/WeightFiles) holding every weight under its name (`parameterNames`),
// and in its metadata which network it is: its width and its residual blocks, with whatever the
// trainer adds (the style, the training settings). Reading one checks every name and shape
// against the network its metadata describes, and refuses anything else in one line.

/// Why bytes are not a model of the transformation network.
public struct ModelFileError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension TransformationNetwork {
    /// The metadata key naming what the file holds, and its value.
    public static let modelKind = (key: "network", value: "transformation-network")

    /// The model file: every weight, and the metadata (`width`, `residual_blocks`, the kind, and `more`).
    public func modelFile(metadata more: [String: String] = [:]) -> [UInt8] {
        var metadata = more
        metadata[Self.modelKind.key] = Self.modelKind.value
        metadata["width"] = String(width)
        metadata["residual_blocks"] = String(residualBlocks)
        return SafeTensorsWriter.encode(zip(parameterNames, parameters).map { ($0, $1.shape, $1.data) }, metadata: metadata)
    }

    /// The network a model file holds, and the file's metadata.
    public static func read(modelFile bytes: [UInt8]) throws -> (network: TransformationNetwork, metadata: [String: String]) {
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile(bytes: bytes) } catch { throw ModelFileError("not a model file: \(error)") }
        guard file.metadata[modelKind.key] == modelKind.value else {
            throw ModelFileError("not a model of the transformation network (its metadata has no \(modelKind.key): \(modelKind.value))")
        }
        guard let width = file.metadata["width"].flatMap(Int.init), (1...512).contains(width),
              let blocks = file.metadata["residual_blocks"].flatMap(Int.init), (0...64).contains(blocks) else {
            throw ModelFileError("the model's metadata does not give a width (1 to 512) and a number of residual blocks (0 to 64)")
        }
        let empty = TransformationNetwork(width: width, residualBlocks: blocks, seed: 0)
        let names = empty.parameterNames
        if let extra = file.entries.keys.sorted().first(where: { !names.contains($0) }) {
            throw ModelFileError("the model holds a tensor \(extra), which a network of width \(width) with \(blocks) residual blocks has not")
        }
        var values: [Tensor] = []
        for (name, expected) in zip(names, empty.parameters) {
            guard let entry = file.entries[name] else {
                throw ModelFileError("the model lacks the tensor \(name) of a network of width \(width) with \(blocks) residual blocks")
            }
            guard entry.shape == expected.shape else {
                throw ModelFileError("the model's tensor \(name) has shape \(entry.shape), not \(expected.shape) as a network of width \(width) has")
            }
            let data = file.elements(of: entry)
            guard data.allSatisfy(\.isFinite) else { throw ModelFileError("the model's tensor \(name) holds values that are not finite") }
            values.append(Tensor(shape: entry.shape, data: data))
        }
        return (empty.replacingParameters(values), file.metadata)
    }
}
