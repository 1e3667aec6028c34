// The threads the fast kernels (and the JPEG decoder) use, and the one loop that spreads work
// over them.
import Foundation
import Dispatch

/// How many threads the parallel loops use: one per core, or `STYLE_THREADS` if set.
public let kernelThreads: Int = {
    if let text = ProcessInfo.processInfo.environment["STYLE_THREADS"], let n = Int(text), n >= 1 { return n }
    return max(1, ProcessInfo.processInfo.activeProcessorCount)
}()

/// The cores the system lets this process use.
let activeCores = ProcessInfo.processInfo.activeProcessorCount

/// Runs `body(i)` for i in 0..<count, spread over `kernelThreads` threads: Dispatch hands the
/// iterations to the cores as they come free; with fewer threads than cores, each of the
/// `kernelThreads` takes every `kernelThreads`-th iteration, and with one, they run in order here.
@inline(__always)
public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    if count <= 1 || kernelThreads == 1 {
        for i in 0..<count { body(i) }
        return
    }
    if kernelThreads < activeCores && count > kernelThreads {
        DispatchQueue.concurrentPerform(iterations: kernelThreads) { thread in
            for i in stride(from: thread, to: count, by: kernelThreads) { body(i) }
        }
        return
    }
    DispatchQueue.concurrentPerform(iterations: count, execute: body)
}
