import Tensors

// Upsampling, then convolving: how the network grows its picture back to full size. Johnson et
// al. used "fractionally-strided" (transposed) convolutions, whose kernels overlap unevenly
// where the stride does not divide their size and leave a checkerboard of stronger and weaker
// pixels; Odena, Dumoulin and Olah ("Deconvolution and Checkerboard Artifacts", Distill 2016)
// show that enlarging first by repeating each pixel, then convolving, has no such pattern.

/// input (C, H, W) -> (C, 2H, 2W): each value repeated over a 2x2 block (nearest neighbour).
public func upsampleForward(_ input: Tensor) -> Tensor {
    let (channels, height, width) = (input.shape[0], input.shape[1], input.shape[2])
    var output = Tensor(shape: [channels, 2 * height, 2 * width])
    for c in 0..<channels {
        for y in 0..<(2 * height) {
            for x in 0..<(2 * width) { output[c, y, x] = input[c, y / 2, x / 2] }
        }
    }
    return output
}

/// dL/dInput: each value was copied to four places, so it collects their four gradients.
public func upsampleBackward(dOutput: Tensor) -> Tensor {
    let (channels, height, width) = (dOutput.shape[0], dOutput.shape[1] / 2, dOutput.shape[2] / 2)
    var dInput = Tensor(shape: [channels, height, width])
    for c in 0..<channels {
        for y in 0..<(2 * height) {
            for x in 0..<(2 * width) { dInput[c, y / 2, x / 2] += dOutput[c, y, x] }
        }
    }
    return dInput
}
