// Chapter 4: shared weights and biases. Run with `swift run shared-weights-demo`.
import Foundation
import SharedWeights
import GeneratedShapes
import Pictures
import DemoSupport
import Tensors

let output = DemoOutput(name: "shared-weights-demo",
                        summary: "Chapter 4, Shared Weights and Biases: three hand-set 5x5 kernels make three feature maps; shifting the input shifts the maps.")
let save = output.save
func picture(_ t: Tensor) -> FloatImage {
    FloatImage(channels: 1, height: t.shape[1], width: t.shape[2], pixels: t.data.map { $0 * 255 }).enlarged(by: 4)
}

let handSet = FeatureMapLayer(weights: HandSetKernels.weights, biases: Tensor(shape: [3]))
print("Three hand-set 5x5 kernels (\(HandSetKernels.names.joined(separator: ", "))), each shared by all 24x24 neurons of its map.")
var rng = SplitMix64Source.make()
let inputs = [Shape.verticalLine, .horizontalLine, .corner].map { ShapesDataset.draw($0, using: &rng).tensor }
var rows: [FloatImage] = []
for input in inputs {
    let maps = handSet.weightedSums(input)
    let limit = sharedLimit([maps])
    rows.append(picture(input))
    rows += channelPictures(maps, limit: limit, enlargedBy: 4)
    rows.append(DivergingScale.key(limit: limit))
    let strongest = (0..<3).map { k in maps.data[(k * 576)..<((k + 1) * 576)].max()! }
    print("  strongest response of each map: " + zip(HandSetKernels.names, strongest).map { "\($0.0) \(String(format: "%.2f", $0.1))" }.joined(separator: ", "))
}
save(ContactSheet.make(rows, labels: Array(repeating: ["INPUT"] + HandSetKernels.names.map { "\($0) MAP" } + ["ROW'S SCALE"], count: 3)
                        .flatMap { $0 },
                       title: "EACH ROW: AN INPUT AND ITS THREE WEIGHTED-SUM MAPS, ON ONE SCALE (RED +, BLUE -)", columns: 5),
     "hand-set-maps.png")

let shiftedInput = shifted(inputs[0], dx: 3, dy: 2)
let before = handSet.weightedSums(inputs[0]), after = handSet.weightedSums(shiftedInput)
let moved = shifted(before, dx: 3, dy: 2)
var largestDifference: Float = 0
for k in 0..<3 { for y in 6..<24 { for x in 6..<24 { largestDifference = max(largestDifference, abs(after[k, y, x] - moved[k, y, x])) } } }
print("\nShifting the input 3 right and 2 down shifts each feature map by the same amount (largest difference away from the border: \(largestDifference)).")
let shiftLimit = sharedLimit([before, after])
save(ContactSheet.make([picture(inputs[0]), channelPictures(before, limit: shiftLimit)[0], picture(shiftedInput),
                        channelPictures(after, limit: shiftLimit)[0], DivergingScale.key(limit: shiftLimit)],
                       labels: ["INPUT", "ITS VERTICAL MAP", "SHIFTED 3, 2", "ITS VERTICAL MAP", "SCALE"], columns: 5), "shift.png")

print("""

What to notice: in hand-set-maps.png each row is an input and its three maps, on one scale
(red positive, blue negative, white 0). The vertical-line map lights up along vertical strokes
and hardly at all on the horizontal line (0.03), the horizontal one the other way round. The
corner kernel is made of an L's two strokes, so it answers along either stroke, about as
strongly as at a turn: one layer of 5x5 kernels sees strokes; a corner needs a layer that combines
two line maps (chapter 2b, convolutional-network-demo). shift.png: the map moves with the input,
because every neuron applies the same kernel. (Kernels that a network learns by itself come
with chapter 5.)
""")
