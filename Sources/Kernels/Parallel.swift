// The threads the fast kernels use, and the one loop that spreads work over them.
import Foundation
import Dispatch

/// How many threads the fast kernels use: one per core, or `STYLE_THREADS` if set.
public let kernelThreads: Int = {
    if let text = ProcessInfo.processInfo.environment["STYLE_THREADS"], let n = Int(text), n >= 1 { return n }
    return max(1, ProcessInfo.processInfo.activeProcessorCount)
}()

/// Runs `body(i)` for i in 0..<count, spread over the cores.
@inline(__always)
public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    if count <= 1 {
        for i in 0..<count { body(i) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: count, execute: body)
}
