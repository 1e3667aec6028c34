import Tensors
import GeneratedShapes

// The second layer: corners. The article's hierarchy in one step: the first layer sees edges,
// and a neuron of the next layer "combines two perpendicular edges to represent a corner". Its
// kernel reaches into both edge maps at once, a (2, 5, 5) kernel over the pooled maps: it wants
// a vertical edge on one side of its centre and a horizontal edge on another, both ending there,
// and its bias is set so that one edge alone is not enough.

/// The corner layer of chapter 2b: four kernels on both pooled edge maps, each an AND of a vertical
/// and a horizontal edge meeting at its centre.
public enum CornerDetectors {
    /// One kernel over the two pooled edge maps: +1 on the two cells of the vertical arm (centre
    /// column, one and two cells from the centre towards `arms.vertical`) in the vertical-edge
    /// map, and +1 on the two cells of the horizontal arm in the horizontal-edge map. And -1 two
    /// cells the other way along each arm: at a corner both edges stop, so an edge carrying on
    /// past the centre (a straight line, or the other kind of corner) counts against it.
    /// The centre itself is left out: an edge map, pooled, reaches about one cell past where its
    /// stroke ends, so the centre says little about which way the arms go.
    public static func kernel(_ arms: CornerArms) -> [Float] {
        var vertical = [Float](repeating: 0, count: 25), horizontal = [Float](repeating: 0, count: 25)
        for step in 1...2 {
            vertical[(2 + step * arms.vertical) * 5 + 2] = 1
            horizontal[2 * 5 + 2 + step * arms.horizontal] = 1
        }
        vertical[(2 - 2 * arms.vertical) * 5 + 2] = -1
        horizontal[2 * 5 + 2 - 2 * arms.horizontal] = -1
        return vertical + horizontal
    }

    /// The four corner maps' names, in order.
    public static let names = CornerArms.allCases.map { "corner " + $0.name }

    /// Both arms sum to about 4; one arm alone to at most 2, or 3 with the other edge's one-cell
    /// overhang: the neuron says yes past 3.
    public static let bias: Float = -3.5
    /// How much the kernels and the bias are scaled before the sigmoid: the larger, the sharper its
    /// yes and no.
    public static let gain: Float = 4

    /// The four corner kernels as one (4, 2, 5, 5) weight tensor, scaled by the gain.
    public static var weights: Tensor {
        Tensor(shape: [4, 2, 5, 5], data: CornerArms.allCases.flatMap { kernel($0) }.map { $0 * gain })
    }
    /// The four corner maps' shared biases, scaled by the gain.
    public static func biases(_ bias: Float = CornerDetectors.bias) -> Tensor { Tensor(shape: [4], value: bias * gain) }
}
