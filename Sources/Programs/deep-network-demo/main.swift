// Chapter 2: a deep network trained by backpropagation. Run with `swift run deep-network-demo`.
import Foundation
import DeepNetwork
import GeneratedShapes
import Pictures
import DemoSupport
import Tensors

let output = DemoOutput(name: "deep-network-demo",
                        summary: "Chapter 2, Deep Neural Network: XOR with a hidden layer, then a [784, 30, 20, 5] network learning the generated shapes by backpropagation; draws the shapes, the accuracy per epoch and what the hidden units respond to.")
let save = output.save

print("XOR with one hidden layer of 4 sigmoid neurons ([2, 4, 1], eta = 2, 2000 epochs):")
let xor = DeepNetworkData.learnXOR()
for (x, y) in DeepNetworkData.xor {
    print(String(format: "  %@ -> %.3f (want %.0f)", "\(x.data.map { Int($0) })", xor.feedforward(x).data[0], y.data[0]))
}

let (training, test) = ShapesDataset.trainingAndTest()
print("\nThe generated shapes: \(training.count) training and \(test.count) test pictures of 28x28, 5 classes.")
save(ContactSheet.make(training.prefix(20).map {
    FloatImage(channels: 1, height: 28, width: 28, pixels: $0.pixels.map { $0 * 255 }).enlarged(by: 3)
}, labels: training.prefix(20).map { $0.shape.name }, title: "THE GENERATED SHAPES (28X28)", columns: 10), "shapes.png")

print("\nA deep network, [784, 30, 20, 5]: two hidden layers (deep means more than one). Mini-batches of 10, eta = 0.5:")
var curve: [(x: Double, y: Double)] = []
let network = DeepNetworkData.learnShapes(training) { epoch, n in
    let accuracy = DeepNetworkData.accuracy(n, test) * 100
    curve.append((Double(epoch), Double(accuracy)))
    print("  epoch \(epoch): test accuracy \(String(format: "%.1f", accuracy))%")
}
var chart = LineChart(title: "[784, 30, 20, 5] network on the generated shapes", xLabel: "epoch", yLabel: "test accuracy (%)", yRange: 0...100)
chart.add("test accuracy", curve)
output.saveChart(chart, "accuracy.svg")
let layer1 = HiddenUnitPictures.firstLayer(network, units: 30), layer2 = HiddenUnitPictures.secondLayer(network, units: 20)
save(ContactSheet.make(layer1.pictures + [DivergingScale.key(limit: layer1.limit)], labels: (1...30).map { "UNIT \($0)" } + ["SCALE"],
                       title: "HIDDEN LAYER 1: EACH UNIT'S 784 WEIGHTS (RED +, BLUE -)", columns: 10),
     "hidden-layer-1.png")
save(ContactSheet.make(layer2.pictures + [DivergingScale.key(limit: layer2.limit)], labels: (1...20).map { "UNIT \($0)" } + ["SCALE"],
                       title: "HIDDEN LAYER 2: WEIGHTS PROJECTED ONTO THE PIXELS THROUGH LAYER 1", columns: 10),
     "hidden-layer-2.png")
print("""

What to notice: XOR, impossible for one perceptron, is solved by a hidden layer. On the shapes,
accuracy climbs epoch by epoch. hidden-layer-1.png shows what each first-layer neuron weighs
(red excites, blue inhibits, one scale for all): blobs and bars at fixed places, some faint.
hidden-layer-2.png projects the second layer's neurons back onto the pixels: each mixes many
first-layer pieces into a template of the whole square, a few close to one shape (a ring, a
bar). Every neuron here sees the whole picture at once, so these are templates tied to places;
the hierarchy of small parts built into larger ones needs local receptive fields (chapter 3 on).
""")
