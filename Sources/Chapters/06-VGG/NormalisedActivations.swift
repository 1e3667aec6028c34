import Tensors

// The paper's rescaled VGG. Gatys, Ecker and Bethge, section 2: "We normalized the network by
// scaling the weights such that the mean activation of each convolutional filter over images and
// positions is equal to one. Such re-scaling can be done for the VGG network without changing its
// output, because it contains only rectifying linear activation functions and no normalization or
// pooling over feature maps."
//
// A ReLU passes a positive factor through (relu(a x) = a relu(x) for a > 0), and so do max and
// average pooling. So if filter k of layer l has mean activation m_l[k], dividing its kernel
// and bias by m_l[k] makes that mean 1, and multiplying the next layer's kernels on input
// channel k by m_l[k] gives the next layer exactly the sums it had before. All the means can
// therefore be measured in one pass of the original network, and each layer's new kernels are
//
//     W'_l[k][c] = W_l[k][c] * m_(l-1)[c] / m_l[k],    b'_l[k] = b_l[k] / m_l[k]
//
// (m_0 = 1 for the image's channels). Every feature map is then the original one divided by its
// mean: the Gram matrices of all layers come to comparable sizes, which is what the paper's equal
// layer weights w_l assume. The downloaded weights are not normalised (Caffe's VGG19 is not), so
// with them the deeper layers' terms are small beside the shallow ones'.
//
// The paper measured its means over ImageNet. Measured over one painting, many filters are
// almost never active, and dividing by their tiny means turns their rare activations into the
// loudest in the Gram matrix (chapter 8 shows the result: noisy textures). So a second way is
// offered: one mean per layer (the average over its filters), which evens out the layers and
// keeps the filters of a layer in the proportions the network learnt.

/// How the rescaling measures its means.
public enum ActivationNormalisation: String, Sendable, CaseIterable {
    /// One factor per filter, as the paper did (over ImageNet).
    case filter
    /// One factor per layer: its filters' average mean activation.
    case layer
}

extension VGG {
    /// The mean activation (after its ReLU) of every filter of every convolution, over `images`
    /// (preprocessed, (3, H, W)) and all their positions, weighting each image by its positions.
    /// (The engine's `FastVGG.meanActivations(over:)` measures the same on the fast network.)
    public func meanActivations(over images: [Tensor]) -> [[Double]] {
        precondition(!images.isEmpty, "the means need at least one image")
        let reluIndices = layers.indices.filter { layers[$0].isConvolution }.map { $0 + 1 }
        var sums = convolutions.map { [Double](repeating: 0, count: $0.outputChannels) }
        var positions = [Double](repeating: 0, count: convolutions.count)   // each layer's, over all images
        for image in images {
            let outputs = forward(image, through: layers[reluIndices.last!].name)
            for (n, index) in reluIndices.enumerated() {
                let relu = outputs[index]
                let (c, plane) = (relu.shape[0], relu.shape[1] * relu.shape[2])
                positions[n] += Double(plane)
                for k in 0..<c {
                    for p in 0..<plane { sums[n][k] += Double(relu.data[k * plane + p]) }
                }
            }
        }
        return sums.enumerated().map { n, layerSums in layerSums.map { $0 / positions[n] } }
    }

    /// The network rescaled as the paper's was, its means measured over `images` by the plain
    /// forward pass: `normalisedActivations(means:by:)` of `meanActivations(over:)`.
    public func normalisedActivations(over images: [Tensor], by normalisation: ActivationNormalisation = .filter) -> VGG {
        normalisedActivations(means: meanActivations(over: images), by: normalisation)
    }

    /// The network rescaled as the paper's was, from each filter's mean activation `means`
    /// (as `meanActivations(over:)` measures them): `.filter`, every filter's mean becomes 1 (a
    /// filter almost never active, its mean under 1% of its layer's average, is divided by that
    /// 1% instead, so that a rare activation is not blown up without bound); `.layer`, every
    /// layer's average over its filters becomes 1.
    public func normalisedActivations(means measured: [[Double]], by normalisation: ActivationNormalisation = .filter) -> VGG {
        precondition(measured.count == convolutions.count, "one list of means per convolution")
        let means = measured.map { layer -> [Double] in
            let average = layer.reduce(0, +) / Double(layer.count)
            switch normalisation {
            case .filter: return layer.map { max($0, 0.01 * average) }
            case .layer: return layer.map { _ in average }
            }
        }
        var rescaled = self
        for n in convolutions.indices {
            let old = convolutions[n]
            let (k, c) = (old.outputChannels, old.inputChannels)
            var weights = old.weights, bias = old.bias
            for out in 0..<k {
                bias.data[out] = Float(Double(bias.data[out]) / means[n][out])
                for input in 0..<c {
                    let factor = (n == 0 ? 1 : means[n - 1][input]) / means[n][out]
                    for i in 0..<9 { weights.data[(out * c + input) * 9 + i] = Float(Double(weights.data[(out * c + input) * 9 + i]) * factor) }
                }
            }
            rescaled.convolutions[n] = ConvolutionWeights(weights: weights, bias: bias)
        }
        return rescaled
    }
}
