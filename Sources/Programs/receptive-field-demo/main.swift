// Chapter 3: local receptive fields. Run with `swift run receptive-field-demo`.
import Foundation
import LocalReceptiveFields
import GeneratedShapes
import Pictures
import DemoSupport

let output = DemoOutput(name: "receptive-field-demo",
                        summary: "Chapter 3, Local Receptive Fields: a 28x28 input, 5x5 receptive fields and the 24x24 hidden layer they make; draws where a few hidden neurons look.")
let layer = LocalReceptiveFieldLayer(inputSide: 28, fieldSide: 5)
print("A \(layer.inputSide)x\(layer.inputSide) input, \(layer.fieldSide)x\(layer.fieldSide) receptive fields moved one pixel at a time:")
print("  \(layer.inputSide) - \(layer.fieldSide) + 1 = \(layer.hiddenSide) positions across and down: a \(layer.hiddenSide)x\(layer.hiddenSide) hidden layer")

var rng = SplitMix64Source.make()
let sample = ShapesDataset.draw(.cross, using: &rng)
let input = FloatImage(channels: 1, height: 28, width: 28, pixels: sample.pixels.map { $0 * 255 })
let positions = [(0, 0), (0, 1), (0, 2), (1, 0), (23, 23)]
var pictures: [FloatImage] = []
for (j, k) in positions {
    let f = layer.field(row: j, column: k)
    print("  hidden neuron (\(j), \(k)) sees input rows \(f.rows.lowerBound)...\(f.rows.upperBound - 1), columns \(f.columns.lowerBound)...\(f.columns.upperBound - 1)")
    pictures.append(layer.picture(of: input, row: j, column: k, scale: 6))
}
output.save(ContactSheet.make(pictures, labels: positions.map { "NEURON (\($0.0), \($0.1))" },
                              title: "THE 5X5 FIELD EACH HIDDEN NEURON SEES", columns: 5), "fields.png")

let c = layer.counts
print("""

Connections from the input to the \(layer.hiddenSide * layer.hiddenSide) hidden neurons:
  fully connected:             \(layer.inputSide * layer.inputSide) x \(layer.hiddenSide * layer.hiddenSide) = \(c.fullyConnectedWeights - layer.hiddenSide * layer.hiddenSide) weights (+ \(layer.hiddenSide * layer.hiddenSide) biases)
  local receptive fields:      \(layer.hiddenSide * layer.hiddenSide) x \(layer.fieldSide * layer.fieldSide) = \(c.localConnections) connections, \(c.localWeights) weights and biases
  local fields, shared weights (chapter 4): \(c.sharedWeights) (one 5x5 kernel and one bias)

What to notice in fields.png: the red window is neuron (0,0)'s field at the top left; neuron
(0,1)'s is the same window one pixel to the right, then (0,2), then (1,0) one pixel down, and
(23,23) at the bottom right corner. Each neuron sees 25 pixels instead of 784.
""")
