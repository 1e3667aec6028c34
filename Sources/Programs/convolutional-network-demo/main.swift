// Chapter 2b: the convolutional neural network, from edges to corners.
// Run with `swift run convolutional-network-demo`.
import Foundation
import ConvolutionalNeuralNetwork
import GeneratedShapes
import Pictures
import DemoSupport
import Tensors

let output = DemoOutput(name: "convolutional-network-demo",
                        summary: "Chapter 2b, Convolutional Neural Network: hand-set edge maps, pooling, then corners made of two perpendicular edges; every layer's activations recorded.")

/// Channel `k` of a (C, H, W) map as a grey picture (0 black, 1 white), `scale` times larger.
func picture(_ t: Tensor, channel k: Int = 0, scale: Int) -> FloatImage {
    let (h, w) = (t.shape[1], t.shape[2])
    return FloatImage(channels: 1, height: h, width: w, pixels: t.data[(k * h * w)..<((k + 1) * h * w)].map { $0 * 255 })
        .enlarged(by: scale)
}
func format(_ x: Float) -> String { String(format: "%.2f", x) }

print("""
Three ideas make a convolutional network (the article's "Convolutional Neural Network" section):
local receptive fields (each neuron sees a small window), shared weights (one kernel per map)
and pooling (each map shrunk, keeping what was found where). This network has \(EdgesToCorners.parameterCount) weights and
biases, all set by hand: 2 edge kernels (5x5), then 4 corner kernels (2x5x5) over the pooled edges.

""")

// Seven inputs: a corner of each kind, a vertical and a horizontal line, a circle.
var rng = SplitMix64Source.make()
let corners = CornerArms.allCases.map { ShapesDataset.drawCorner($0, vertex: (x: $0.horizontal > 0 ? 8 : 20, y: $0.vertical > 0 ? 8 : 20)) }
let inputs: [(name: String, sample: ShapeSample)] = zip(CornerDetectors.names, corners).map { ($0.0, $0.1) }
    + [("vertical line", ShapesDataset.draw(.verticalLine, using: &rng)), ("horizontal line", ShapesDataset.draw(.horizontalLine, using: &rng)),
       ("circle", ShapesDataset.draw(.circle, using: &rng))]

var panels: [FloatImage] = [], labels: [String] = []
print("Layer by layer, the activations recorded and their shapes (maps x height x width):")
for (index, (name, sample)) in inputs.enumerated() {
    let recorded = EdgesToCorners.forward(sample.tensor)
    if index == 0 {
        for layer in recorded.layers {
            print("  \(layer.name.padding(toLength: 13, withPad: " ", startingAt: 0)) \(layer.activations.shape.map(String.init).joined(separator: "x"))")
        }
        print("")
    }
    let edges = recorded["edges"], pooled = recorded["pooled edges"], cornerMaps = recorded["corners"]
    panels += [picture(recorded["input"], scale: 4), picture(edges, channel: 0, scale: 4), picture(edges, channel: 1, scale: 4),
               picture(pooled, channel: 0, scale: 8), picture(pooled, channel: 1, scale: 8)]
    panels += (0..<4).map { picture(cornerMaps, channel: $0, scale: 8) }
    labels += [name.uppercased(), "VERTICAL EDGES", "HORIZONTAL EDGES", "POOLED VERTICAL", "POOLED HORIZONTAL",
               "UP+RIGHT CORNER", "UP+LEFT CORNER", "DOWN+RIGHT CORNER", "DOWN+LEFT CORNER"]
    let cells = cornerMaps.count / 4
    let strongest = (0..<4).map { k in cornerMaps.data[(k * cells)..<((k + 1) * cells)].max()! }
    print("  \(name.padding(toLength: 22, withPad: " ", startingAt: 0)) strongest corner neuron per map: "
          + strongest.map(format).joined(separator: "  "))
}
output.save(ContactSheet.make(panels, labels: labels,
                              title: "EACH ROW: INPUT 28X28, EDGE MAPS 24X24, POOLED 12X12, CORNER MAPS 12X12 (BLACK 0, WHITE 1)", columns: 9),
            "edges-to-corners.png")

// Over the generated dataset: how strongly does the best corner neuron answer, per class?
let samples = EdgesToCorners.surveyedShapes()
print("\nOver 500 generated shapes (100 per class): the strongest corner neuron's answer, on average,")
print("and how often it says yes (above 0.5):")
for shape in Shape.allCases {
    let answers = samples.filter { $0.shape == shape }.map { EdgesToCorners.forward($0.tensor)["corners"].data.max()! }
    let mean = answers.reduce(0, +) / Float(answers.count)
    let yes = answers.filter { $0 > 0.5 }.count
    print("  \(shape.name.padding(toLength: 16, withPad: " ", startingAt: 0)) mean \(format(mean))   yes in \(yes) of \(answers.count)")
}

print("""

What to notice: in edges-to-corners.png each row is one input and every layer it passes through.
The edge maps say yes (white) along strokes of their own direction only. Pooling halves each
map and keeps the strokes. A corner neuron says yes only where two perpendicular edges meet, each
arm on its own side and both ending there: the up-and-right corner lights the UP+RIGHT map at its
vertex and no other map, and a straight line, which fills one edge map but never both, lights
none. A circle lights all four corner maps, one at each rounded quadrant: at this scale a
quadrant of a circle is a vertical and a horizontal edge meeting, which is all this neuron asks.
That is the hierarchy the article describes: edges first, then "two perpendicular edges to
represent a corner", each layer seeing a larger part of the picture (a corner neuron's window
covers 14x14 input pixels). Every layer's output was recorded on the way (the list above); the
content chapter later keeps exactly such recordings of VGG19's layers.
""")
