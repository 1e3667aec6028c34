import XCTest
import Dispatch
import Foundation
import Parallel

/// `parallelFor` runs every index exactly once and its writes are seen when it returns, whichever
/// threads run them: on Linux the worker pool's (claimed one at a time, woken from sleep, with a
/// loop inside a loop or two callers at once handed to Dispatch), elsewhere Dispatch's.
final class ParallelForTests: XCTestCase {
    /// Counts how often each index ran.
    final class Tally: @unchecked Sendable {
        var counts: [Int]
        let lock = NSLock()
        init(_ n: Int) { counts = [Int](repeating: 0, count: n) }
        func add(_ i: Int) { lock.lock(); counts[i] += 1; lock.unlock() }
    }

    func testEveryIndexRunsOnce() {
        for count in [0, 1, 2, 3, 7, 64, 1000] {
            let tally = Tally(count)
            parallelFor(count) { tally.add($0) }
            XCTAssertEqual(tally.counts, [Int](repeating: 1, count: count), "count \(count)")
        }
    }

    func testALoopLongerThanTheLoopWordHolds() {
        // 2^20 + 5 indices: the pool runs them as two loops.
        let count = (1 << 20) + 5
        let hits = UnsafeMutablePointer<UInt8>.allocate(capacity: count)
        hits.initialize(repeating: 0, count: count)
        defer { hits.deallocate() }
        nonisolated(unsafe) let target = hits
        parallelFor(count) { target[$0] &+= 1 }
        XCTAssertTrue(UnsafeBufferPointer(start: hits, count: count).allSatisfy { $0 == 1 })
    }

    func testWritesAreSeenAfterTheLoop() {
        // Many short loops back to back, each writing every element, then read here.
        let n = 4096
        let values = UnsafeMutablePointer<Int>.allocate(capacity: n)
        defer { values.deallocate() }
        nonisolated(unsafe) let target = values
        for round in 1...200 {
            parallelFor(n / 64) { part in
                for i in (part * 64)..<((part + 1) * 64) { target[i] = round * i }
            }
            var wrong = 0
            for i in 0..<n where values[i] != round * i { wrong += 1 }
            XCTAssertEqual(wrong, 0, "round \(round)")
            if wrong > 0 { return }
        }
    }

    func testALoopInsideALoop() {
        let tally = Tally(16 * 16)
        parallelFor(16) { outer in
            parallelFor(16) { inner in tally.add(outer * 16 + inner) }
        }
        XCTAssertEqual(tally.counts, [Int](repeating: 1, count: 256))
    }

    func testCallersOnSeveralThreadsAtOnce() {
        let tallies = (0..<8).map { _ in Tally(500) }
        DispatchQueue.concurrentPerform(iterations: 8) { caller in
            for _ in 0..<5 { parallelFor(100) { tallies[caller].add($0) } }
        }
        for (caller, tally) in tallies.enumerated() {
            XCTAssertEqual(tally.counts, [Int](repeating: 5, count: 100) + [Int](repeating: 0, count: 400), "caller \(caller)")
        }
    }

    func testTwoIndicesRunAtTheSameTimeAfterTheThreadsSlept() throws {
        guard ProcessInfo.processInfo.activeProcessorCount >= 2, kernelThreads >= 2 else {
            throw XCTSkip("one thread: nothing runs at the same time")
        }
        // After 50 ms without a loop, a worker is asleep; index 0 waits for index 1 to start,
        // which only another thread can do: the loop must wake one (or give the loop to Dispatch).
        for _ in 0..<3 {
            Thread.sleep(forTimeInterval: 0.05)
            let started = DispatchSemaphore(value: 0)
            let met = Tally(1)
            parallelFor(2) { i in
                if i == 1 { started.signal(); return }
                if started.wait(timeout: .now() + 10) == .success { met.add(0) }
            }
            XCTAssertEqual(met.counts, [1], "index 0 never saw index 1 start")
        }
    }

    func testASharedCounterHandsOutEachNumberOnce() {
        let counter = SharedCounter()
        let tally = Tally(10_000)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            while let i = counter.take(below: 10_000) { tally.add(i) }
        }
        XCTAssertEqual(tally.counts, [Int](repeating: 1, count: 10_000))
        XCTAssertNil(counter.take(below: 10_000))
    }
}
