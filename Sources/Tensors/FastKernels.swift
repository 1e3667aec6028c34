// Fast versions of the remaining operations of the VGG loss: the Gram matrix through the GEMM
// of GEMM.swift, and ReLU and 2x2 max/average pooling as tight loops spread over the cores.
// Each has its plain twin (GramMatrix.swift, Activations.swift, Pooling.swift); tests check that
// they agree.

/// G = F F^T / (C H W) for features (C, H, W), with the shared dimension H*W split between threads.
public func gramMatrixFast(_ features: Tensor) -> Tensor {
    let c = features.shape[0], n = features.shape[1] * features.shape[2]
    var gram = Tensor(shape: [c, c])
    features.data.withUnsafeBufferPointer { f in
        let rows = MatrixLayout(base: f.baseAddress!, rowStride: n)
        let transposed = MatrixLayout(base: f.baseAddress!, rowStride: 1, columnStride: n)
        let a = PackedPanels(rows, rows: c, depth: n)
        gram.data.withUnsafeMutableBufferPointer { g in
            matrixMultiply(a: a, b: transposed, columns: c, c: g.baseAddress!, ldc: c, splitDepth: true)
        }
    }
    let scale = 1 / Float(c * n)
    for i in 0..<gram.count { gram.data[i] *= scale }
    return gram
}

/// dL/dF = (dL/dG + dL/dG^T) F / (C H W), as one matrix product.
public func gramMatrixBackwardFast(dGram: Tensor, features: Tensor) -> Tensor {
    let c = features.shape[0], n = features.shape[1] * features.shape[2]
    let scale = 1 / Float(c * n)
    let symmetric = PackedPanels(rows: c, depth: c) { i, j in (dGram[i, j] + dGram[j, i]) * scale }
    var dFeatures = Tensor(shape: features.shape)
    features.data.withUnsafeBufferPointer { f in
        dFeatures.data.withUnsafeMutableBufferPointer { d in
            matrixMultiply(a: symmetric, b: MatrixLayout(base: f.baseAddress!, rowStride: n), columns: n,
                           c: d.baseAddress!, ldc: n)
        }
    }
    return dFeatures
}

/// ReLU in place.
public func reluInPlace(_ tensor: inout Tensor) {
    tensor.data.withUnsafeMutableBufferPointer { p in
        let count = p.count, chunks = kernelThreads * 4
        parallelFor(chunks) { t in
            for i in (count * t / chunks)..<(count * (t + 1) / chunks) { p[i] = max(0, p[i]) }
        }
    }
}

/// dL/dInput of ReLU, in place on the gradient, from the ReLU's output (positive exactly where
/// its input was).
public func reluBackwardInPlace(_ gradient: inout Tensor, output: Tensor) {
    output.data.withUnsafeBufferPointer { y in
        gradient.data.withUnsafeMutableBufferPointer { g in
            let count = g.count, chunks = kernelThreads * 4
            parallelFor(chunks) { t in
                for i in (count * t / chunks)..<(count * (t + 1) / chunks) where y[i] <= 0 { g[i] = 0 }
            }
        }
    }
}

/// 2x2 pooling with stride 2, max or average, one channel per task.
public func pool2x2Fast(_ input: Tensor, average: Bool) -> Tensor {
    let (channels, height, width) = (input.shape[0], input.shape[1], input.shape[2])
    let oh = height / 2, ow = width / 2
    var output = Tensor(shape: [channels, oh, ow])
    input.data.withUnsafeBufferPointer { x in
        output.data.withUnsafeMutableBufferPointer { y in
            parallelFor(channels) { c in
                let src = x.baseAddress! + c * height * width, dst = y.baseAddress! + c * oh * ow
                for oy in 0..<oh {
                    let top = src + 2 * oy * width, bottom = top + width
                    for ox in 0..<ow {
                        let (a, b, p, q) = (top[2 * ox], top[2 * ox + 1], bottom[2 * ox], bottom[2 * ox + 1])
                        dst[oy * ow + ox] = average ? (a + b + p + q) * 0.25 : max(max(a, b), max(p, q))
                    }
                }
            }
        }
    }
    return output
}

/// The gradient of `pool2x2Fast`: to the first maximum of each window, or a quarter to each input.
public func pool2x2BackwardFast(dOutput: Tensor, input: Tensor, average: Bool) -> Tensor {
    let (channels, height, width) = (input.shape[0], input.shape[1], input.shape[2])
    let oh = height / 2, ow = width / 2
    var dInput = Tensor(shape: input.shape)
    input.data.withUnsafeBufferPointer { x in
        dOutput.data.withUnsafeBufferPointer { dy in
            dInput.data.withUnsafeMutableBufferPointer { dx in
                parallelFor(channels) { c in
                    let src = x.baseAddress! + c * height * width, dst = dx.baseAddress! + c * height * width
                    let g = dy.baseAddress! + c * oh * ow
                    for oy in 0..<oh {
                        for ox in 0..<ow {
                            let i00 = 2 * oy * width + 2 * ox, i01 = i00 + 1, i10 = i00 + width, i11 = i10 + 1
                            let d = g[oy * ow + ox]
                            if average {
                                dst[i00] = d * 0.25
                                dst[i01] = d * 0.25
                                dst[i10] = d * 0.25
                                dst[i11] = d * 0.25
                                continue
                            }
                            // The same choice as the plain version: the first strict maximum in
                            // reading order.
                            var best = i00
                            if src[i01] > src[best] { best = i01 }
                            if src[i10] > src[best] { best = i10 }
                            if src[i11] > src[best] { best = i11 }
                            dst[best] = d
                        }
                    }
                }
            }
        }
    }
    return dInput
}
