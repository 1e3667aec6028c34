// Chapter 5: pooling layers and a complete small network. Run with `swift run pooling-demo`.
import Foundation
import PoolingLayers
import SharedWeights
import GeneratedShapes
import Pictures
import DemoSupport
import Tensors

let output = DemoOutput(name: "pooling-demo",
                        summary: "Chapter 5, Pooling Layers: max and average pooling of three feature maps, then a complete small network (convolution, pooling, fully connected) trained on the generated shapes.")
let save = output.save

var rng = SplitMix64Source.make()
let input = ShapesDataset.draw(.cross, using: &rng).tensor
let maps = reluForward(FeatureMapLayer(weights: HandSetKernels.weights, biases: Tensor(shape: [3])).weightedSums(input))
let (maxPooled, averagePooled) = PoolingLayers.pool(maps)
print("Three 24x24 feature maps of a cross, each pooled over 2x2 blocks to 12x12 (max, then average).")
save(ContactSheet.make(channelPictures(maps, enlargedBy: 4) + channelPictures(maxPooled, enlargedBy: 8)
                       + channelPictures(averagePooled, enlargedBy: 8),
                       labels: ["", "MAX POOLED", "AVERAGE POOLED"].flatMap { kind in HandSetKernels.names.map { "\($0) \(kind)" } },
                       title: "THREE FEATURE MAPS OF A CROSS (24X24), POOLED TO 12X12", columns: 3), "pooled-maps.png")

print("\nThe complete network: 5x5 convolution (3 maps, ReLU) -> 2x2 max pooling -> fully connected -> softmax.")
let (training, test) = ShapesDataset.trainingAndTest()
var curve: [(x: Double, y: Double)] = []
let network = PoolingLayers.trainNetwork(training: training) { epoch, n in
    let accuracy = n.accuracy(test) * 100
    curve.append((Double(epoch), Double(accuracy)))
    print("  epoch \(epoch): test accuracy \(String(format: "%.1f", accuracy))% on \(test.count) held-out shapes")
}
var chart = LineChart(title: "Convolution, max pooling, fully connected", xLabel: "epoch", yLabel: "test accuracy (%)", yRange: 0...100)
chart.add("test accuracy", curve)
output.saveChart(chart, "accuracy.svg")
let pass = network.forward(test[2].tensor)
save(ContactSheet.make([FloatImage(channels: 1, height: 28, width: 28, pixels: test[2].pixels.map { $0 * 255 }).enlarged(by: 8)]
                       + channelPictures(pass.maps, enlargedBy: 8) + channelPictures(pass.pooled, enlargedBy: 16),
                       labels: ["TEST SHAPE", "MAP 1", "MAP 2", "MAP 3", "MAP 1 POOLED", "MAP 2 POOLED", "MAP 3 POOLED"], columns: 4),
     "network-stages.png")
save(ContactSheet.make(channelPictures(network.kernels.reshaped([3, 5, 5]), enlargedBy: 16), labels: ["KERNEL 1", "KERNEL 2", "KERNEL 3"],
                       columns: 3), "learned-kernels.png")
print("""

What to notice: in pooled-maps.png the first row is the full maps, the second max pooling and
the third average pooling: max keeps the strokes crisp, average blurs them. The network
reaches its accuracy in a few epochs with 3 kernels; network-stages.png shows one test shape,
its three feature maps and the pooled maps that the fully connected layer reads, and
learned-kernels.png the three 5x5 kernels the network found by itself (chapter 4's shared
weights, learned instead of set by hand).
""")
