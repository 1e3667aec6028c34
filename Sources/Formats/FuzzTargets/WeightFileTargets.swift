import WeightFiles

/// The pickle machine on its own, then the PyTorch legacy file built on it, reading every
/// tensor's elements.
enum PickleTarget {
    static func run(_ bytes: [UInt8]) {
        var machine = PickleMachine(bytes: bytes)
        _ = try? machine.run()
        guard let file = try? TorchLegacyFile(bytes: bytes) else { return }
        for tensor in file.tensors {
            _ = file.elements(of: tensor)
        }
    }
}

/// Safetensors: the JSON header, every tensor's offsets, and its elements.
enum SafeTensorsTarget {
    static func run(_ bytes: [UInt8]) {
        guard let file = try? SafeTensorsFile(bytes: bytes) else { return }
        for entry in file.entries.values {
            _ = file.elements(of: entry)
        }
    }
}
