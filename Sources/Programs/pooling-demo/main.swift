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
// A corner: a vertical and a horizontal stroke, what chapter 4's hand-set kernels detect.
let input = ShapesDataset.draw(.corner, using: &rng).tensor
let maps = reluForward(FeatureMapLayer(weights: HandSetKernels.weights, biases: Tensor(shape: [3])).weightedSums(input))
let (maxPooled, averagePooled) = PoolingLayers.pool(maps)
print("Three 24x24 feature maps of a corner (ReLU of chapter 4's hand-set kernels), each pooled over 2x2 blocks to 12x12.")
for (name, k) in zip(HandSetKernels.names, 0..<3) {
    func strongest(_ t: Tensor) -> Float { t.data[(k * t.count / 3)..<((k + 1) * t.count / 3)].max()! }
    print(String(format: "  %@: strongest %.2f in the map, %.2f after max pooling, %.2f after average pooling",
                 name, strongest(maps), strongest(maxPooled), strongest(averagePooled)))
}
let poolLimit = sharedLimit([maps])
let blank = FloatImage(channels: 3, height: 1, width: 1, value: 255)
save(ContactSheet.make([FloatImage(channels: 1, height: 28, width: 28, pixels: input.data.map { $0 * 255 }).enlarged(by: 4)]
                       + channelPictures(maps, limit: poolLimit, enlargedBy: 4)
                       + [DivergingScale.key(limit: poolLimit)] + channelPictures(maxPooled, limit: poolLimit, enlargedBy: 8)
                       + [blank] + channelPictures(averagePooled, limit: poolLimit, enlargedBy: 8),
                       labels: ["INPUT"] + HandSetKernels.names + ["SCALE OF ALL"] + HandSetKernels.names.map { "\($0), MAX" }
                        + [""] + HandSetKernels.names.map { "\($0), AVERAGE" },
                       title: "FEATURE MAPS OF A CORNER (24X24), POOLED TO 12X12, ALL ON ONE SCALE", columns: 4), "pooled-maps.png")

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
                       + channelPictures(pass.maps, limit: sharedLimit([pass.maps]), enlargedBy: 8)
                       + [DivergingScale.key(limit: sharedLimit([pass.maps]))]
                       + channelPictures(pass.pooled, limit: sharedLimit([pass.maps]), enlargedBy: 16),
                       labels: ["TEST SHAPE", "MAP 1", "MAP 2", "MAP 3", "SCALE", "MAP 1 POOLED", "MAP 2 POOLED", "MAP 3 POOLED"], columns: 4),
     "network-stages.png")
let kernels = network.kernels.reshaped([3, 5, 5])
save(ContactSheet.make(channelPictures(kernels, limit: sharedLimit([kernels]), enlargedBy: 16) + [DivergingScale.key(limit: sharedLimit([kernels]))],
                       labels: ["KERNEL 1", "KERNEL 2", "KERNEL 3", "SCALE"], title: "THE KERNELS IT LEARNED (RED +, BLUE -)", columns: 4),
     "learned-kernels.png")
print("""

What to notice: pooled-maps.png draws the corner's three maps, then the same maps max pooled,
then average pooled, all on one scale (white 0, red positive). Max pooling keeps each map's
strongest response (the numbers above) and its strokes sharp; average pooling lowers it by about
a quarter and spreads each stroke into the blocks beside it. The network
reaches its accuracy in a few epochs with 3 kernels; network-stages.png shows one test shape,
its three feature maps and the pooled maps that the fully connected layer reads, and
learned-kernels.png the three 5x5 kernels the network found by itself (chapter 4's shared
weights, learned instead of set by hand).
""")
