import Tensors
import GeneratedShapes

// The article's three ideas in one small network, with weights we can read:
//   local receptive fields - each edge neuron sees a 5x5 window of the 28x28 input;
//   shared weights         - every neuron of a map uses the same kernel and bias;
//   pooling                - 2x2 max pooling halves each map, keeping "an edge was near here".
// Layer by layer: input (1, 28, 28) -> edges (2, 24, 24) -> pooled edges (2, 12, 12)
// -> corners (4, 12, 12). A corner neuron's 5x5 window on the pooled maps covers 14x14 input
// pixels: deeper layers see more of the picture and answer for larger features. (The corner
// layer pads the pooled maps with a border of two zeros, so a corner near the picture's edge
// still has a neuron centred on it and the corner maps stay 12x12.)

/// Chapter 2b's network: edges, pooling, corners, with every layer's activations recorded.
public enum EdgesToCorners {
    /// The recorded layers' names, in order.
    public static let layerNames = ["input", "edges", "pooled edges", "corners"]

    /// The 500 generated shapes (100 of each class) over which the demo, and its exercises,
    /// count how often the corner layer says yes.
    public static func surveyedShapes() -> [ShapeSample] { ShapesDataset.generate(count: 500, seed: 7) }

    /// Runs `input` (1, 28, 28) through the network and records every layer's activations.
    /// `cornerBias` and `pooling` default to the network's own; the chapter's exercises change them.
    public static func forward(_ input: Tensor, cornerBias: Float = CornerDetectors.bias,
                               pooling: PoolingKind = .max) -> RecordedActivations {
        var recorded = RecordedActivations()
        recorded.record("input", input)
        let edges = sigmoidForward(convolutionForward(input: input, weights: EdgeDetectors.weights, bias: EdgeDetectors.biases))
        recorded.record("edges", edges)
        let pooled = poolForward(edges, kind: pooling)
        recorded.record("pooled edges", pooled)
        let corners = sigmoidForward(convolutionForward(input: pooled, weights: CornerDetectors.weights,
                                                          bias: CornerDetectors.biases(cornerBias), padding: 2))
        recorded.record("corners", corners)
        return recorded
    }

    /// Where a corner neuron (row r, column c) looks, in input coordinates (pixel (x, y) spans
    /// x...x+1): its window centres on pooled cell (r, c), which pools edge cells 2r and 2r + 1,
    /// whose 5x5 windows centre on input pixels 2r + 2 and 2r + 3: between them, 2r + 3.
    public static func inputCentre(ofCornerRow r: Int, column c: Int) -> (x: Float, y: Float) {
        (Float(2 * c + 3), Float(2 * r + 3))
    }

    /// The number of weights and biases: 2 x 25 + 2 for the edges, 4 x 50 + 4 for the corners.
    public static var parameterCount: Int {
        EdgeDetectors.weights.count + EdgeDetectors.biases.count + CornerDetectors.weights.count + CornerDetectors.biases().count
    }
}
