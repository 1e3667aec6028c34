import Tensors
import SeededRandom
import Optimisers
import WeightFiles

// A paused training, as a file: the network's weights, Adam's two running averages and its step
// count, the crops' generator and the steps taken, with the settings it was trained under. A run
// resumed from it continues exactly where the paused one stopped (the same crops, the same
// moves), so a resumed `--steps` run ends with the same model as an uninterrupted one. Written as
// a safetensors file like a model (ModelFile.swift), the Adam averages as two more tensors.

/// All a training needs to continue.
public struct TrainingCheckpoint {
    public var network: TransformationNetwork
    /// Adam's m, v and t.
    public var adam: (m: [Float], v: [Float], t: Int)
    /// The crops' generator.
    public var generator: SplitMix64
    public var steps: Int
    /// The settings it was trained under, in words; a resumed run must have the same.
    public var settings: String

    public init(network: TransformationNetwork, adam: (m: [Float], v: [Float], t: Int), generator: SplitMix64, steps: Int, settings: String) {
        self.network = network
        self.adam = adam
        self.generator = generator
        self.steps = steps
        self.settings = settings
    }

    /// The checkpoint file.
    public func encoded() -> [UInt8] {
        var tensors = zip(network.parameterNames, network.parameters).map { ($0, $1.shape, $1.data) }
        tensors.append(("adam.m", [adam.m.count], adam.m))
        tensors.append(("adam.v", [adam.v.count], adam.v))
        return SafeTensorsWriter.encode(tensors, metadata: [
            TransformationNetwork.modelKind.key: "transformation-network-checkpoint", "width": String(network.width),
            "residual_blocks": String(network.residualBlocks), "adam_t": String(adam.t), "generator": String(generator.state),
            "steps": String(steps), "settings": settings,
        ])
    }

    /// The checkpoint in `bytes`, or why they are not one, in one line.
    public static func read(_ bytes: [UInt8]) throws -> TrainingCheckpoint {
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile(bytes: bytes) } catch { throw ModelFileError("not a checkpoint: \(error)") }
        let metadata = file.metadata
        guard metadata[TransformationNetwork.modelKind.key] == "transformation-network-checkpoint",
              let t = metadata["adam_t"].flatMap(Int.init), let state = metadata["generator"].flatMap(UInt64.init),
              let steps = metadata["steps"].flatMap(Int.init), let settings = metadata["settings"],
              let m = file.entries["adam.m"], let v = file.entries["adam.v"] else {
            throw ModelFileError("not a checkpoint of style-train (its metadata or Adam's state is missing)")
        }
        // The weights as a model file would hold them: the same checks of names and shapes.
        var model = metadata
        model[TransformationNetwork.modelKind.key] = TransformationNetwork.modelKind.value
        let weights = zip(file.entries.keys, file.entries.values).filter { !$0.0.hasPrefix("adam.") }
            .sorted { $0.0 < $1.0 }.map { ($0.0, $0.1.shape, file.elements(of: $0.1)) }
        let network = try TransformationNetwork.read(modelFile: SafeTensorsWriter.encode(weights, metadata: model)).network
        let count = network.parameterVector.count
        guard (m.shape == [count] && v.shape == [count]) || (t == 0 && m.count == 0 && v.count == 0) else {
            throw ModelFileError("the checkpoint's Adam state does not fit its network")
        }
        return TrainingCheckpoint(network: network, adam: (file.elements(of: m), file.elements(of: v), t), generator: SplitMix64(seed: state),
                                  steps: steps, settings: settings)
    }
}
