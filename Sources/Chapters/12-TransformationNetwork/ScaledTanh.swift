import Foundation
import Tensors

// The network's last step: its output, any real number, squeezed into the pixel range 0...255
// by a scaled tanh, 127.5 (tanh(x) + 1). Every picture the network paints is then a picture,
// and the gradient fades smoothly near black and white instead of stopping at a clamp.

/// x -> 127.5 (tanh(x) + 1), each value.
public func scaledTanhForward(_ input: Tensor) -> Tensor {
    Tensor(shape: input.shape, data: input.data.map { 127.5 * (tanh($0) + 1) })
}

/// dL/dx = dL/dy * 127.5 (1 - tanh(x)^2).
public func scaledTanhBackward(dOutput: Tensor, input: Tensor) -> Tensor {
    Tensor(shape: input.shape, data: zip(dOutput.data, input.data).map { dy, x in
        let t = tanh(x)
        return dy * 127.5 * (1 - t * t)
    })
}
