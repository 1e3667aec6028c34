// Where an evaluation's time goes: a tally the benchmark hands to the network and the loss,
// which add each stage's wall-clock seconds to it as they run. Nothing is timed unless a tally
// is given, and timing never changes what is computed.
import Dispatch
import Foundation

/// Seconds spent in each kind of stage, added up over one or more evaluations.
public final class StageTimes: @unchecked Sendable {
    /// The kinds of work an evaluation does.
    public enum Stage: String, CaseIterable, Sendable {
        case convolutions = "convolutions"
        case poolingAndReLU = "pooling and ReLU"
        case gramMatrices = "Gram matrices"
        case losses = "losses"
        case addingGradients = "adding gradients"
        case layout = "layout changes"
    }

    private var seconds: [Stage: Double] = [:]
    private let lock = NSLock()

    public init() {}

    /// Runs `body`, adding its wall-clock time to `stage`.
    @inline(__always)
    public func measure<T>(_ stage: Stage, _ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer {
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            lock.lock()
            seconds[stage, default: 0] += elapsed
            lock.unlock()
        }
        return try body()
    }

    /// The seconds added to `stage` so far.
    public subscript(stage: Stage) -> Double {
        lock.lock()
        defer { lock.unlock() }
        return seconds[stage] ?? 0
    }

    /// Moves `seconds` from one stage's tally to another's: for work done inside another stage's
    /// call (the Gram matrix's gradient fused into a convolution's), timed there.
    public func move(_ seconds: Double, from source: Stage, to destination: Stage) {
        lock.lock()
        self.seconds[source, default: 0] -= seconds
        self.seconds[destination, default: 0] += seconds
        lock.unlock()
    }

    public func reset() {
        lock.lock()
        seconds = [:]
        lock.unlock()
    }
}

extension Optional where Wrapped == StageTimes {
    /// `body`, timed if there is a tally.
    @inline(__always)
    public func measure<T>(_ stage: StageTimes.Stage, _ body: () throws -> T) rethrows -> T {
        if let times = self { return try times.measure(stage, body) }
        return try body()
    }
}
