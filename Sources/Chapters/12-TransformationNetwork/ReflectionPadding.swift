import Tensors

// Reflection padding: the border a convolution needs, made from the picture itself. Zero
// padding (chapter 4's) surrounds a picture with black, and a network that paints pictures
// learns to draw that black frame into its results; mirroring the rows and columns next to the
// edge gives the convolution a plausible continuation instead. Johnson, Alahi and Fei-Fei's
// image transformation network pads every convolution this way (their supplementary material).
//
// With padding p, output row -r (r = 1...p) is input row r, and output row H - 1 + r is input row
// H - 1 - r: the edge row itself is not repeated (as PyTorch's ReflectionPad2d).

/// The input position (0..<size) that padded position `i` (-padding..<size + padding) shows.
@inline(__always)
func reflected(_ i: Int, size: Int) -> Int {
    i < 0 ? -i : (i >= size ? 2 * (size - 1) - i : i)
}

/// input (C, H, W) -> (C, H + 2p, W + 2p), the border mirrored from the rows and columns inside.
public func reflectionPadForward(_ input: Tensor, padding p: Int) -> Tensor {
    let (channels, height, width) = (input.shape[0], input.shape[1], input.shape[2])
    precondition(p < height && p < width, "a reflection needs more rows and columns than the padding")
    var output = Tensor(shape: [channels, height + 2 * p, width + 2 * p])
    for c in 0..<channels {
        for y in 0..<(height + 2 * p) {
            for x in 0..<(width + 2 * p) {
                output[c, y, x] = input[c, reflected(y - p, size: height), reflected(x - p, size: width)]
            }
        }
    }
    return output
}

/// dL/dInput: each padded position's gradient goes back to the input position it showed (the
/// rows and columns next to the edge collect their reflections' too).
public func reflectionPadBackward(dOutput: Tensor, padding p: Int, inputShape: [Int]) -> Tensor {
    let (channels, height, width) = (inputShape[0], inputShape[1], inputShape[2])
    var dInput = Tensor(shape: inputShape)
    for c in 0..<channels {
        for y in 0..<(height + 2 * p) {
            for x in 0..<(width + 2 * p) {
                dInput[c, reflected(y - p, size: height), reflected(x - p, size: width)] += dOutput[c, y, x]
            }
        }
    }
    return dInput
}
