import Tensors
import Kernels

/// Random values in -1...1 as channels-last maps and as the same (C, H, W) tensor.
func randomMaps(channels: Int, height: Int, width: Int, seed: UInt64) -> (fast: ChannelsLastMaps, plain: Tensor) {
    let t = Tensor.random(shape: [channels, height, width], seed: seed)
    return (ChannelsLastMaps(t), t)
}

/// He-scaled random 3x3 kernels (K, C, 3, 3) and biases (K), as VGG's layers have.
func randomLayer(inputs: Int, outputs: Int, seed: UInt64) -> (weights: Tensor, bias: Tensor) {
    let scale = (2 / Float(inputs * 9)).squareRoot() * 1.7
    return (Tensor.random(shape: [outputs, inputs, 3, 3], in: -scale...scale, seed: seed),
            Tensor.random(shape: [outputs], in: -0.1...0.1, seed: seed &+ 1))
}
