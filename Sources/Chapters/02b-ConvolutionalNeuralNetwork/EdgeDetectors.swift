import Tensors

// The first layer of the article's "Convolutional Neural Network" section: edge detectors.
// Each is one 5x5 kernel (a local receptive field) shared by every position of its map (shared
// weights and bias), followed by a sigmoid, so a neuron answers the question "is there an edge
// of this direction in my 5x5 window?" with a number near 1 (yes) or near 0 (no).
//
// The kernels are set by hand here, so we know what each map means; chapter 5's network learns
// its own. An "edge" in these drawings is a thin stroke: positive weights down the stroke,
// negative weights beside it.

/// The edge layer of chapter 2b: two shared 5x5 kernels, vertical and horizontal strokes.
public enum EdgeDetectors {
    /// Ink down the middle three columns, none in the outer two. Three columns wide, so a thin
    /// stroke answers as strongly when it falls between two pixel columns as when it fills one.
    public static let vertical: [Float] = [
        -2, 1, 1, 1, -2,
        -2, 1, 1, 1, -2,
        -2, 1, 1, 1, -2,
        -2, 1, 1, 1, -2,
        -2, 1, 1, 1, -2,
    ]
    /// Ink along the middle three rows, none in the outer two.
    public static let horizontal: [Float] = [
        -2, -2, -2, -2, -2,
         1, 1, 1, 1, 1,
         1, 1, 1, 1, 1,
         1, 1, 1, 1, 1,
        -2, -2, -2, -2, -2,
    ]
    /// The two edge maps' names, in order.
    public static let names = ["vertical edges", "horizontal edges"]

    /// How sharply the sigmoid turns a weighted sum into yes or no: a stroke of its direction,
    /// one to two pixels thick, gives a weighted sum of about 5 to 11; empty paper 0; ink
    /// everywhere (or a stroke across the kernel) less than 0.
    public static let gain: Float = 2
    /// The shared bias of each map: a sum has to pass 2.5 before the neuron says yes.
    public static let bias: Float = -2.5

    /// The two kernels as one (2, 1, 5, 5) weight tensor, scaled by the gain.
    public static var weights: Tensor { Tensor(shape: [2, 1, 5, 5], data: (vertical + horizontal).map { $0 * gain }) }
    /// The two shared biases, (2).
    public static var biases: Tensor { Tensor(shape: [2], value: bias * gain) }
}
