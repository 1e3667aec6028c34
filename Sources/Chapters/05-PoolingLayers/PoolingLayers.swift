import Tensors
import GeneratedShapes

// Chapter 5, "Pooling Layers".
//
// A pooling layer summarises each feature map: every 2x2 block of the 24x24 map becomes one
// value, giving a 12x12 map. Max pooling keeps the block's largest activation (was the feature
// found anywhere in this block?); average pooling keeps its mean. Either way the exact position
// is traded for a quarter of the numbers, and the layer after it sees a wider area per input.
// The operations themselves are `maxPoolForward` and `averagePoolForward` in Tensors.

/// Chapter 5's demonstrations: pooling three feature maps both ways, and training the complete
/// network.
public enum PoolingLayers {
    /// Each of the maps pooled both ways: (max, average), each (C, H/2, W/2).
    public static func pool(_ maps: Tensor) -> (max: Tensor, average: Tensor) {
        (maxPoolForward(maps), averagePoolForward(maps))
    }

    /// The chapter's complete network: 3 feature maps of 5x5 shared kernels with ReLU, 2x2 max
    /// pooling, and a fully connected layer to the five shape classes, trained for `epochs`
    /// epochs. `onEpoch(epoch, network)` reports progress.
    public static func trainNetwork(epochs: Int = 4, eta: Float = 0.01, pooling: PoolingKind? = .max,
                                    training: [ShapeSample], seed: UInt64 = 5,
                                    onEpoch: (Int, ConvolutionalNetwork) -> Void = { _, _ in }) -> ConvolutionalNetwork {
        var network = ConvolutionalNetwork(classes: Shape.allCases.count, pooling: pooling, seed: seed)
        for epoch in 1...epochs {
            network.trainEpoch(training, eta: eta, seed: seed &+ UInt64(epoch))
            onEpoch(epoch, network)
        }
        return network
    }
}
