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

/// Runs `body(i)` for i in 0..<count, spread over `kernelThreads` threads. On Linux the worker
/// pool's threads (WorkerPool.swift), awake when a loop starts, take the iterations as they
/// come free. Elsewhere, or while the pool is busy with another loop, Dispatch does: with fewer
/// threads than cores, each of the `kernelThreads` takes every `kernelThreads`-th iteration.
/// With one thread, they run in order here.
@inline(__always)
public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    if count <= 1 || kernelThreads == 1 {
        for i in 0..<count { body(i) }
        return
    }
    #if os(Linux)
    // A loop started while the pool is busy (from another thread, or inside one of its own
    // loops) goes to Dispatch.
    if usesWorkerPool && WorkerPool.shared.run(count, body) { return }
    #endif
    if kernelThreads < activeCores && count > kernelThreads {
        DispatchQueue.concurrentPerform(iterations: kernelThreads) { thread in
            for i in stride(from: thread, to: count, by: kernelThreads) { body(i) }
        }
        return
    }
    DispatchQueue.concurrentPerform(iterations: count, execute: body)
}

/// Whether the worker pool runs the loops: on Linux, with several threads but no more than the
/// cores (its threads spin), unless STYLE_WORKER_POOL=0 (to compare it with Dispatch).
let usesWorkerPool: Bool = {
    #if os(Linux)
    return kernelThreads > 1 && kernelThreads <= activeCores && ProcessInfo.processInfo.environment["STYLE_WORKER_POOL"] != "0"
    #else
    return false
    #endif
}()

/// What runs the parallel loops, for people: the worker pool, Dispatch or the calling thread.
public var parallelLoopRunner: String {
    usesWorkerPool ? "the worker pool" : kernelThreads == 1 ? "the calling thread" : "Dispatch"
}

/// How many pieces to cut `available` independent pieces of work into for `threads` threads:
/// all in one with one thread, else `perThread` per thread (at most `available`), so that the
/// threads take them as they come free and a core slowed by other work holds up no one.
public func parallelPieces(_ available: Int, perThread: Int, threads: Int = kernelThreads) -> Int {
    threads == 1 ? 1 : min(perThread * threads, available)
}

/// A number handed out once to each taker, 0, 1, 2, ...: threads that share a list of jobs,
/// each with scratch memory of its own, take the next job from it as they come free.
public final class SharedCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    public init() {}
    /// The next number if it is below `limit`, else nil.
    public func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}
