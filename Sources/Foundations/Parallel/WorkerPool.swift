// Threads that stay awake between parallel loops, so that a loop starts on every core at once.
//
// A style-transfer evaluation runs a few thousand parallel loops of a millisecond or so each
// (every chunk of every convolution has three). Dispatch on Linux starts each one on the
// calling thread and wakes a second thread only after a delay: on a 2-core virtual machine,
// `DispatchQueue.concurrentPerform(iterations: 2)` of two 400-microsecond halves took as long as
// running both on one core, and the whole evaluation ran only 1.35 times as fast on two cores as
// on one. OpenMP, which PyTorch uses, avoids this by keeping its threads spinning for a while
// after a loop; this pool does the same:
//
//  - `kernelThreads - 1` workers are started on first use and live as long as the process;
//  - a loop is published as one 64-bit word, (generation, count, next index); the caller and
//    every worker that notices it claim indices from that word one at a time (compare and
//    exchange), so an index is run exactly once, by whoever is free, and a worker that notices
//    late finds the word's generation changed and claims nothing of a loop that has ended;
//  - the caller runs indices too, then waits until all of them are finished;
//  - a worker that has seen no new loop for about a millisecond of spinning goes to sleep on a
//    condition variable, and the next loop wakes it, so an idle program does not keep a core busy.
//
// Which thread runs which index changes from run to run; what each index computes does not, so
// results are the same as with any other schedule. The pool is used on Linux, where the delay
// was measured; elsewhere (macOS, where Dispatch runs on the kernel's own thread pool, and where
// this project has not been timed) `parallelFor` keeps using Dispatch.
#if os(Linux)
import Foundation
import Synchronization

final class WorkerPool: @unchecked Sendable {
    /// The pool of `kernelThreads` threads (the caller and `kernelThreads - 1` workers).
    static let shared = WorkerPool(workers: kernelThreads - 1)

    // The loop word: generation in the top 24 bits, count in the next 20, the next index in the
    // low 20. Loops of more than 2^20 indices are split by `run`.
    private static let indexBits: UInt64 = 20
    private static let indexMask: UInt64 = (1 << indexBits) - 1
    static let largestCount = Int(indexMask)

    private let word = Atomic<UInt64>(0)
    /// Indices finished by the workers in the current loop.
    private let finished = Atomic<Int>(0)
    /// Workers asleep (or about to be) on `condition`.
    private let sleepers = Atomic<Int>(0)
    /// Set while a loop is running: a second caller (another thread, or a loop inside a loop's
    /// body) is told no and uses Dispatch instead.
    private let busy = Atomic<Bool>(false)
    private let condition = NSCondition()
    /// The current loop's body; set before the loop word is published and read only by a thread
    /// that has claimed an index of that loop, so it is alive for as long as anyone reads it.
    private var body: ((Int) -> Void)? = nil
    private var generation: UInt64 = 0

    private init(workers: Int) {
        for number in 0..<max(0, workers) {
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "style-worker-\(number + 1)"
            thread.start()
        }
    }

    private static func generation(_ w: UInt64) -> UInt64 { w >> (2 * indexBits) }
    private static func count(_ w: UInt64) -> UInt64 { (w >> indexBits) & indexMask }
    private static func index(_ w: UInt64) -> UInt64 { w & indexMask }

    /// Runs `body(i)` for every i in 0..<count on the pool's threads, returning when all have
    /// finished; false (having run nothing) if the pool is already running a loop.
    func run(_ count: Int, _ body: (Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return false }
        defer { busy.store(false, ordering: .releasing) }
        var start = 0
        while start < count {
            let part = min(WorkerPool.largestCount, count - start)
            withoutActuallyEscaping(body) { body in
                let offset = start
                runPart(part) { body(offset + $0) }
            }
            start += part
        }
        return true
    }

    private func runPart(_ count: Int, _ body: @escaping (Int) -> Void) {
        self.body = body
        finished.store(0, ordering: .relaxed)
        generation = (generation + 1) & ((1 << 24) - 1)
        let published = generation << (2 * WorkerPool.indexBits) | UInt64(count) << WorkerPool.indexBits
        word.store(published, ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            condition.lock()
            condition.broadcast()
            condition.unlock()
        }
        let mine = claimAndRun(generation: generation)
        while finished.load(ordering: .acquiring) + mine < count {}
        self.body = nil
    }

    /// Claims indices of loop `generation` until there are none left; returns how many it ran.
    private func claimAndRun(generation: UInt64) -> Int {
        var ran = 0
        var current = word.load(ordering: .acquiring)
        while WorkerPool.generation(current) == generation && WorkerPool.index(current) < WorkerPool.count(current) {
            let (exchanged, original) = word.compareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged {
                body!(Int(WorkerPool.index(current)))
                ran += 1
                current = word.load(ordering: .acquiring)
            } else {
                current = original
            }
        }
        return ran
    }

    /// A worker's life: wait for a loop it has not seen, help with it, repeat.
    private func work() {
        var seen: UInt64 = 0
        while true {
            var spins = 0
            var current = word.load(ordering: .acquiring)
            while WorkerPool.generation(current) == seen {
                spins += 1
                if spins == 1 << 18 {
                    // About a millisecond with nothing to do: sleep until the next loop.
                    condition.lock()
                    sleepers.add(1, ordering: .sequentiallyConsistent)
                    while WorkerPool.generation(word.load(ordering: .sequentiallyConsistent)) == seen { condition.wait() }
                    sleepers.subtract(1, ordering: .sequentiallyConsistent)
                    condition.unlock()
                    spins = 0
                }
                current = word.load(ordering: .acquiring)
            }
            seen = WorkerPool.generation(current)
            let ran = claimAndRun(generation: seen)
            if ran > 0 { finished.add(ran, ordering: .releasing) }
        }
    }
}
#endif
