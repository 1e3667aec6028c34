// The gradient check of a loss the optimisers descend (chapters 7 to 10), through a network to
// the pixels.
import Tensors
import VGG
import Optimisers
import GradientChecking

/// Asserts `loss`'s gradient with respect to the pixels of `image` against central differences,
/// at the pixels whose steps of `epsilon` leave every ReLU of `network` up to `layer` on its side.
public func assertImageLossGradient(_ loss: some ImageLoss, at image: Tensor, network: VGG, through layer: String,
                                    epsilon: Float = 0.05, minimumElements: Int = 49, largestHalf: Bool = false, _ message: String,
                                    file: StaticString = #filePath, line: UInt = #line) {
    let convolutions = (0...network.layerIndex(layer)!).filter { network.layers[$0].isConvolution }
    // The loss passes through Float layers and Float Gram sums, whose rounding moves the
    // differences by up to about 2e-4: the tolerance is 3e-4, still sharp enough to fail a 0.1% error.
    assertLossGradient(at: image.data, epsilon: epsilon, relativeTolerance: 3e-4, minimumElements: minimumElements, largestHalf: largestHalf,
        loss: { let (parts, gradient) = loss.evaluate(Tensor(shape: image.shape, data: $0)); return (parts.total, gradient.data) },
        kinks: { data in
            let outputs = network.forward(Tensor(shape: image.shape, data: data), through: layer)
            return convolutions.flatMap { outputs[$0].data.map { $0 > 0 } }
        }, message, file: file, line: line)
}
