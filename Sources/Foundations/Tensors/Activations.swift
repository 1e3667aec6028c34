// Activation functions: what a neuron does with its weighted sum.
import Foundation

/// ReLU, max(0, x): the activation of every VGG layer. input (any shape) -> output (same shape).
public func reluForward(_ input: Tensor) -> Tensor {
    Tensor(shape: input.shape, data: input.data.map { max(0, $0) })
}

/// dL/dInput = dL/dOutput where the input was positive, else 0.
public func reluBackward(dOutput: Tensor, input: Tensor) -> Tensor {
    var dInput = dOutput
    for i in 0..<dInput.count where input.data[i] <= 0 { dInput.data[i] = 0 }
    return dInput
}

/// The logistic sigmoid 1 / (1 + e^-x): a smooth version of the perceptron's step.
public func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }

/// input (any shape) -> output (same shape), each value through the sigmoid.
public func sigmoidForward(_ input: Tensor) -> Tensor {
    Tensor(shape: input.shape, data: input.data.map(sigmoid))
}

/// The sigmoid's derivative is s(1 - s), written with the forward output s.
public func sigmoidBackward(dOutput: Tensor, output: Tensor) -> Tensor {
    Tensor(shape: output.shape, data: (0..<output.count).map { dOutput.data[$0] * output.data[$0] * (1 - output.data[$0]) })
}

