import XCTest
import Tensors
import GradientChecking
import WeightFiles
@testable import TransformationNetwork

/// Chapter 12's layers, each backward pass (to its input and to its weights) against central
/// differences with the check that catches a 0.1% error, and the whole network's weight
/// gradient end to end.
final class TransformationNetworkTests: XCTestCase {
    func testReflectionPaddingMirrorsWithoutRepeatingTheEdge() {
        let x = Tensor(shape: [1, 2, 3], data: [1, 2, 3, 4, 5, 6])
        let padded = reflectionPadForward(x, padding: 1)
        XCTAssertEqual(padded.shape, [1, 4, 5])
        XCTAssertEqual(padded.data, [5, 4, 5, 6, 5,
                                     2, 1, 2, 3, 2,
                                     5, 4, 5, 6, 5,
                                     2, 1, 2, 3, 2])
        let input = Tensor.random(shape: [2, 5, 6], in: -2...2, seed: 1)
        let result = checkGradient(input: input.data, epsilon: 1, forward: { reflectionPadForward(Tensor(shape: input.shape, data: $0), padding: 2).data },
                                   backward: { reflectionPadBackward(dOutput: Tensor(shape: [2, 9, 10], data: $0), padding: 2, inputShape: input.shape).data })
        assertGradient(result, "reflection padding")
    }

    func testUpsamplingRepeatsEachValueAndGathersItsGradient() {
        let x = Tensor(shape: [1, 1, 2], data: [1, 2])
        XCTAssertEqual(upsampleForward(x).data, [1, 1, 2, 2, 1, 1, 2, 2])
        let input = Tensor.random(shape: [3, 4, 5], in: -2...2, seed: 2)
        let result = checkGradient(input: input.data, epsilon: 1, forward: { upsampleForward(Tensor(shape: input.shape, data: $0)).data },
                                   backward: { upsampleBackward(dOutput: Tensor(shape: [3, 8, 10], data: $0)).data })
        assertGradient(result, "upsampling")
    }

    func testInstanceNormalisationNormalisesEachMap() {
        var layer = InstanceNormalisation(channels: 3)
        let input = Tensor.random(shape: [3, 6, 5], in: -4...9, seed: 3)
        let plain = layer.forward(input)
        for c in 0..<3 {
            let map = plain.data[(c * 30)..<((c + 1) * 30)].map(Double.init)
            let mean = map.reduce(0, +) / 30
            XCTAssertEqual(mean, 0, accuracy: 1e-5)
            XCTAssertEqual(map.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 30, 1, accuracy: 1e-3)
        }
        layer.scale = Tensor(shape: [3], data: [0.5, 2, -1.5])
        layer.shift = Tensor(shape: [3], data: [0.25, -1, 3])
        let scaled = layer.forward(input)
        XCTAssertEqual(scaled.data[40], 2 * plain.data[40] - 1, accuracy: 1e-5)
    }

    func testInstanceNormalisationGradients() {
        var layer = InstanceNormalisation(channels: 3)
        layer.scale = Tensor(shape: [3], data: [0.5, 2, -1.5])
        layer.shift = Tensor(shape: [3], data: [0.25, -1, 3])
        let input = Tensor.random(shape: [3, 5, 4], in: -3...3, seed: 4)
        let toInput = checkGradient(input: input.data, epsilon: 0.2, forward: { layer.forward(Tensor(shape: input.shape, data: $0)).data },
                                    backward: { layer.backward(dOutput: Tensor(shape: input.shape, data: $0), input: input).dInput.data })
        assertGradient(toInput, "instance normalisation, to its input")
        let toScale = checkGradient(input: layer.scale.data, epsilon: 0.25, forward: { scale in
            var changed = layer
            changed.scale = Tensor(shape: [3], data: scale)
            return changed.forward(input).data
        }, backward: { layer.backward(dOutput: Tensor(shape: input.shape, data: $0), input: input).dScale.data })
        assertGradient(toScale, "instance normalisation, to its scale")
        let toShift = checkGradient(input: layer.shift.data, epsilon: 0.25, forward: { shift in
            var changed = layer
            changed.shift = Tensor(shape: [3], data: shift)
            return changed.forward(input).data
        }, backward: { layer.backward(dOutput: Tensor(shape: input.shape, data: $0), input: input).dShift.data })
        assertGradient(toShift, "instance normalisation, to its shift")
    }

    /// A strided 3x3 convolution and a 9x9 one, both reflection-padded: the gradients to the
    /// input, the weights and the bias (each linear in what it is taken with respect to).
    func testConvolutionLayerGradients() {
        for (kernel, stride, size) in [(3, 2, 8), (9, 1, 10)] {
            let layer = ConvolutionLayer(inputChannels: 3, outputChannels: 4, kernelSize: kernel, stride: stride, seed: 5)
            let input = Tensor.random(shape: [3, size, size], in: -2...2, seed: 6)
            let outputShape = layer.forward(input).shape
            XCTAssertEqual(outputShape, [4, size / stride, size / stride])
            let name = "\(kernel)x\(kernel) stride \(stride)"
            func backward(_ d: [Float]) -> (dInput: Tensor, dWeights: Tensor, dBias: Tensor) {
                layer.backward(dOutput: Tensor(shape: outputShape, data: d), input: input)
            }
            assertGradient(checkGradient(input: input.data, epsilon: 1, forward: { layer.forward(Tensor(shape: input.shape, data: $0)).data },
                                         backward: { backward($0).dInput.data }), "\(name): to its input")
            assertGradient(checkGradient(input: layer.weights.data, epsilon: 1, forward: { w in
                var changed = layer
                changed.weights = Tensor(shape: layer.weights.shape, data: w)
                return changed.forward(input).data
            }, backward: { backward($0).dWeights.data }), "\(name): to its weights")
            assertGradient(checkGradient(input: layer.bias.data, epsilon: 1, forward: { b in
                var changed = layer
                changed.bias = Tensor(shape: [4], data: b)
                return changed.forward(input).data
            }, backward: { backward($0).dBias.data }), "\(name): to its bias")
        }
    }

    func testScaledTanhGradient() {
        let input = Tensor.random(shape: [3, 4, 4], in: -2...2, seed: 7)
        XCTAssertEqual(scaledTanhForward(Tensor(shape: [1], data: [0])).data, [127.5])
        let result = checkGradient(input: input.data, epsilon: 0.02, forward: { scaledTanhForward(Tensor(shape: input.shape, data: $0)).data },
                                   backward: { scaledTanhBackward(dOutput: Tensor(shape: input.shape, data: $0), input: input).data })
        assertGradient(result, "scaled tanh")
    }

    /// The network's shapes: the picture comes back at the photo's size, in 0...255, with
    /// Johnson et al.'s maps at W = 32 (and the parameter count of their network with
    /// instance normalisation: 1,679,235 weights).
    func testTheNetworkPaintsAPictureOfThePhotosSize() {
        let network = TransformationNetwork(width: 4, seed: 1)
        let photo = Tensor.random(shape: [3, 12, 16], in: 0...255, seed: 8)
        let (picture, _) = network.forward(photo)
        XCTAssertEqual(picture.shape, [3, 12, 16])
        XCTAssertTrue(picture.data.allSatisfy { (0...255).contains($0) })
        let full = TransformationNetwork(width: 32, seed: 1)
        XCTAssertEqual(full.parameters.map(\.count).reduce(0, +), 1_679_235)
        XCTAssertEqual(full.parameterNames.count, full.parameters.count)
        XCTAssertEqual(Set(full.parameterNames).count, full.parameterNames.count, "names are unique")
        XCTAssertEqual(full.parameterNames.prefix(4), ["0.weight", "0.bias", "1.scale", "1.shift"])
    }

    /// The gradient of every weight of a whole (narrow) network, end to end: the network's
    /// output before its last step (the scaled tanh, checked on its own above: its outputs near
    /// 127 carry a Float rounding a hundred times the pre-tanh values'), projected on a random
    /// vector, against central differences at weights of every layer whose steps leave every
    /// ReLU on its side.
    func testTheWholeNetworksWeightGradient() {
        let network = TransformationNetwork(width: 2, residualBlocks: 1, seed: 3)
        guard case .scaledTanh = network.stack.layers.last else { return XCTFail("the network ends with the scaled tanh") }
        let body = LayerStack(Array(network.stack.layers.dropLast()))
        let input = TransformationNetwork.input(Tensor.random(shape: [3, 8, 8], in: 0...255, seed: 9))
        let start = network.parameterVector
        func withWeights(_ vector: [Float]) -> LayerStack {
            LayerStack(Array(network.replacingParameters(vector: vector).stack.layers.dropLast()))
        }
        let (base, tape) = body.forward(input)
        // Which side of zero each ReLU's input lies on: the pattern the steps must keep.
        func reluSides(_ vector: [Float]) -> [Bool] {
            let stack = withWeights(vector)
            return reluInputs(stack, stack.forward(input).tape).flatMap { $0.data.map { $0 > 0 } }
        }
        // Candidates: weights spread over every parameter tensor, but those that only add a
        // constant to a map which instance normalisation then subtracts: the biases of the
        // convolutions it follows, and the shift of each residual block's last normalisation
        // (its constant passes the skip connections and the upsampling unchanged, and the next
        // convolution turns it into a constant per map, normalised away). Their gradient is zero
        // (checked below); their central difference would be the Float rounding alone.
        let names = network.parameterNames
        let normalisedBias = { (index: Int) in
            (names[index].hasSuffix(".bias") && index != names.count - 1) || (names[index].split(separator: ".").count == 3 && names[index].hasSuffix(".4.shift"))
        }
        var candidates: [Int] = [], vanishing: [Int] = [], offset = 0
        for (index, tensor) in network.parameters.enumerated() {
            if normalisedBias(index) {
                vanishing += offset..<(offset + tensor.count)
            } else {
                candidates += stride(from: 0, to: tensor.count, by: max(1, tensor.count / 6)).map { offset + $0 }
            }
            offset += tensor.count
        }
        let projection = Tensor.random(shape: base.shape, in: -1...1, seed: 10)
        let gradient = body.backward(dOutput: projection, tape: tape).gradients.flatMap(\.data)
        let epsilon: Float = 0.005
        let elements = elementsAwayFromKinks(input: start, epsilon: epsilon, candidates: candidates, pattern: reluSides)
        XCTAssertGreaterThanOrEqual(elements.count, candidates.count / 3, "enough weights away from the ReLUs' kinks")
        let result = checkGradient(input: start, epsilon: epsilon, elements: elements, forward: { withWeights($0).forward(input).output.data },
                                   backward: { d in body.backward(dOutput: Tensor(shape: base.shape, data: d), tape: tape).gradients.flatMap(\.data) })
        assertGradient(result, "the whole network's weights")
        let largest = gradient.map(abs).max()!
        XCTAssertFalse(vanishing.isEmpty)
        for i in vanishing { XCTAssertLessThanOrEqual(abs(gradient[i]), 1e-4 * largest, "a normalised convolution's bias has no gradient") }
    }

    /// The inputs of every ReLU in a stack's tape, in order (inside residual blocks too).
    func reluInputs(_ stack: LayerStack, _ tape: [Tape]) -> [Tensor] {
        zip(stack.layers, tape).flatMap { layer, kept -> [Tensor] in
            switch (layer, kept) {
            case (.relu, .input(let x)): return [x]
            case (.residual(let block), .block(_, let inner)): return reluInputs(block, inner)
            default: return []
            }
        }
    }
}

/// Model files: a network written and read back paints the same picture; anything but a model
/// of this network, of the shapes its metadata says, is refused in one line.
final class ModelFileTests: XCTestCase {
    func testAModelReadsBackAsTheSameNetwork() throws {
        let network = TransformationNetwork(width: 3, residualBlocks: 2, seed: 4)
        let bytes = network.modelFile(metadata: ["style": "stripes"])
        let (read, metadata) = try TransformationNetwork.read(modelFile: bytes)
        XCTAssertEqual(read.width, 3)
        XCTAssertEqual(read.residualBlocks, 2)
        XCTAssertEqual(metadata["style"], "stripes")
        XCTAssertEqual(read.parameterVector.map(\.bitPattern), network.parameterVector.map(\.bitPattern))
        let photo = Tensor.random(shape: [3, 8, 8], in: 0...255, seed: 5)
        XCTAssertEqual(read.forward(photo).picture, network.forward(photo).picture)
    }

    func testOtherFilesAreRefused() {
        let network = TransformationNetwork(width: 2, residualBlocks: 1, seed: 6)
        let good = network.modelFile()
        func refused(_ bytes: [UInt8], _ expected: String, line: UInt = #line) {
            XCTAssertThrowsError(try TransformationNetwork.read(modelFile: bytes), line: line) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error)", line: line)
            }
        }
        refused(Array(good.prefix(good.count - 4)), "not a model file")
        refused([1, 2, 3], "not a model file")
        refused(SafeTensorsWriter.encode([("x", [1], [1])]), "not a model of the transformation network")
        var tensors = zip(network.parameterNames, network.parameters).map { ($0, $1.shape, $1.data) }
        let metadata = ["network": "transformation-network", "width": "2", "residual_blocks": "1"]
        refused(SafeTensorsWriter.encode(tensors, metadata: metadata.merging(["width": "3"]) { $1 }), "has shape")
        refused(SafeTensorsWriter.encode(tensors, metadata: metadata.merging(["residual_blocks": "2"]) { $1 }), "which a network of width 2 with 2 residual blocks has not")
        refused(SafeTensorsWriter.encode(Array(tensors.dropLast()), metadata: metadata), "lacks the tensor 18.bias")
        refused(SafeTensorsWriter.encode(tensors, metadata: metadata.merging(["width": "many"]) { $1 }), "does not give a width")
        refused(SafeTensorsWriter.encode(tensors + [("extra", [1], [0])], metadata: metadata), "holds a tensor extra")
        tensors[0].2[5] = .nan
        refused(SafeTensorsWriter.encode(tensors, metadata: metadata), "not finite")
    }
}
