import XCTest
import DeepNetwork
import GeneratedShapes
import Tensors
import GradientChecking

final class DeepNetworkTests: XCTestCase {
    func testBackpropAgainstCentralDifferences() {
        // The cost as a function of every weight of a small network, against backprop's gradient.
        let network = Network(sizes: [4, 5, 3, 2], seed: 7)
        let x = Tensor(shape: [4], data: [0.2, -0.5, 0.9, 0.1]), y = Tensor(shape: [2], data: [1, 0])
        let (nablaW, nablaB) = network.backprop(x, y)
        for l in 0..<3 {
            let w = checkGradient(input: network.weights[l].data, epsilon: 0.3, forward: { data in
                var n = network; n.weights[l].data = data; return [Float(n.cost(x, y))]
            }, backward: { d in nablaW[l].data.map { $0 * d[0] } })
            assertGradient(w, "layer \(l) weights")
            let b = checkGradient(input: network.biases[l].data, epsilon: 0.3, forward: { data in
                var n = network; n.biases[l].data = data; return [Float(n.cost(x, y))]
            }, backward: { d in nablaB[l].data.map { $0 * d[0] } })
            assertGradient(b, "layer \(l) biases")
        }
    }

    func testHiddenLayerLearnsXOR() {
        var network = Network(sizes: [2, 4, 1], seed: 1)
        network.sgd(DeepNetworkData.xor, epochs: 2000, miniBatchSize: 4, eta: 2, seed: 1)
        for (x, y) in DeepNetworkData.xor {
            XCTAssertEqual(network.feedforward(x).data[0], y.data[0], accuracy: 0.2, "XOR\(x.data)")
        }
    }

    func testLearnsTheShapes() {
        // The stated accuracy of chapter 2: at least 90% of the 500 held-out shapes after 8 epochs.
        let (training, test) = ShapesDataset.trainingAndTest()
        var network = Network(sizes: [784, 30, 20, 5], seed: 2)
        network.sgd(training.map(DeepNetworkData.vectorized), epochs: 8, miniBatchSize: 10, eta: 0.5, seed: 3)
        XCTAssertGreaterThanOrEqual(DeepNetworkData.accuracy(network, test), 0.9)
    }
}
