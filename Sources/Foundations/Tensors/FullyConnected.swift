// A fully connected layer: every output neuron sees every input, y = W x + b.

/// input (N), weights (M, N), bias (M) -> output (M).
public func fullyConnectedForward(input: Tensor, weights: Tensor, bias: Tensor) -> Tensor {
    let (outputs, inputs) = (weights.shape[0], weights.shape[1])
    precondition(input.count == inputs && bias.count == outputs, "shapes do not match")
    var output = bias
    for i in 0..<outputs {
        var sum: Float = 0
        for j in 0..<inputs { sum += weights.data[i * inputs + j] * input.data[j] }
        output.data[i] += sum
    }
    return output
}

/// dL/dInput = W^T dL/dOutput; dL/dW = dL/dOutput x input^T (an outer product); dL/db = dL/dOutput.
public func fullyConnectedBackward(dOutput: Tensor, input: Tensor, weights: Tensor)
    -> (dInput: Tensor, dWeights: Tensor, dBias: Tensor)
{
    let (outputs, inputs) = (weights.shape[0], weights.shape[1])
    var dInput = Tensor(shape: input.shape)
    var dWeights = Tensor(shape: weights.shape)
    for i in 0..<outputs {
        let d = dOutput.data[i]
        for j in 0..<inputs {
            dInput.data[j] += weights.data[i * inputs + j] * d
            dWeights.data[i * inputs + j] = d * input.data[j]
        }
    }
    return (dInput, dWeights, Tensor(shape: [outputs], data: dOutput.data))
}
