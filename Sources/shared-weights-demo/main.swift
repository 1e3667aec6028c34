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
    rows.append(picture(input))
    rows += channelPictures(maps, enlargedBy: 4)
    let strongest = (0..<3).map { k in maps.data[(k * 576)..<((k + 1) * 576)].max()! }
    print("  strongest response of each map: " + zip(HandSetKernels.names, strongest).map { "\($0.0) \(String(format: "%.2f", $0.1))" }.joined(separator: ", "))
}
save(ContactSheet.make(rows, labels: Array(repeating: ["INPUT"] + HandSetKernels.names.map { "\($0) MAP" }, count: 3).flatMap { $0 },
                       columns: 4), "hand-set-maps.png")

let shiftedInput = shifted(inputs[0], dx: 3, dy: 2)
let before = handSet.weightedSums(inputs[0]), after = handSet.weightedSums(shiftedInput)
let moved = shifted(before, dx: 3, dy: 2)
var largestDifference: Float = 0
for k in 0..<3 { for y in 6..<24 { for x in 6..<24 { largestDifference = max(largestDifference, abs(after[k, y, x] - moved[k, y, x])) } } }
print("\nShifting the input 3 right and 2 down shifts each feature map by the same amount (largest difference away from the border: \(largestDifference)).")
save(ContactSheet.make([picture(inputs[0]), channelPictures(before)[0], picture(shiftedInput), channelPictures(after)[0]],
                       labels: ["INPUT", "ITS VERTICAL MAP", "SHIFTED 3, 2", "ITS VERTICAL MAP"], columns: 4), "shift.png")

print("""

What to notice: in hand-set-maps.png each row is an input and its three maps; the vertical-edge
map lights up along vertical strokes, the horizontal one along horizontal strokes, and the
corner map where an L turns. shift.png: the map moves with the input, because every neuron
applies the same kernel. (Kernels that a network learns by itself come with chapter 5.)
""")
