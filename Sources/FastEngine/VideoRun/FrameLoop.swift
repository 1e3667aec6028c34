import Foundation
import Pictures
import StyleTransferRun

// A clip styled frame after frame: the loop style-video and video-demo both run. Each frame is
// compared with the few earlier frames `VideoSettings.distances` names, so only those are kept:
// a clip's length costs no memory. A run can start at any frame (a stopped run continued): the
// earlier frames it compares with are then read back as they were styled.

/// A frame's run as it goes: which frame, how much of it the flow trusted, and the run's step.
public struct FrameStep {
    /// The frame's index in the clip.
    public var frame: Int
    /// The share of pixels the consistency check trusted in the nearest earlier frame, in percent;
    /// nil for a frame styled on its own.
    public var trustedPercent: Int?
    /// The step of the frame's own run.
    public var step: StylizationStep
    /// Seconds since the frame began (its optical flow included).
    public var seconds: Double
}

/// A frame finished: its picture as written, and as the optimisation made it.
public struct StyledFrame {
    /// The frame's index in the clip.
    public var index: Int
    /// The picture to write (`Stylization.picture`: the colours put back if asked).
    public var picture: FloatImage
    /// The picture as the optimisation made it (`Stylization.runPicture`), which later frames compare with.
    public var runPicture: FloatImage
    /// The steps the frame's run took, and its seconds.
    public var steps: Int, seconds: Double
    /// Whether it was styled from an earlier frame carried over (false: on its own, as a first frame).
    public var carriedOver: Bool
}

/// How styling a clip ended.
public enum FrameLoopEnd: Equatable {
    case finished
    /// Asked to stop during this frame; the frames before it are finished.
    case stopped(frame: Int)
    /// The loss became NaN or infinite on this frame.
    case diverged(frame: Int)
}

extension VideoStylization {
    /// Styles the frames `indices` in order. `frame(i)` gives frame i prepared (`prepared`);
    /// `styledEarlier(i)`, asked only for frames before the first styled here, frame i's picture
    /// as an earlier run made it. `observe` sees every step of every frame's run, `shouldStop` is
    /// asked before each evaluation, and `finished` takes each frame as it is done (it may throw
    /// to end the loop: a file that could not be written).
    public func styleFrames(_ indices: Range<Int>, frame: (Int) -> FloatImage, styledEarlier: (Int) -> FloatImage,
                            observe: (FrameStep) -> Void = { _ in }, shouldStop: () -> Bool = { false },
                            finished: (StyledFrame) throws -> Void) rethrows -> FrameLoopEnd {
        let keep = settings.distances.max() ?? 0
        var earlier: [Int: (content: FloatImage, stylised: FloatImage)] = [:]
        for distance in settings.distances where indices.lowerBound - distance >= 0 {
            let index = indices.lowerBound - distance
            earlier[index] = (frame(index), styledEarlier(index))
        }
        for index in indices {
            let content = frame(index)
            let compared = settings.distances.compactMap { distance in
                earlier[index - distance].map { EarlierFrame(distance: distance, content: $0.content, stylised: $0.stylised) }
            }
            let start = DispatchTime.now().uptimeNanoseconds
            let (stylization, alignments) = stylization(of: content, earlier: compared)
            let trusted = alignments.first.map { Int((100 * $0.reliability.reduce(0, +) / Float($0.reliability.count)).rounded()) }
            func seconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
            let result = stylization.run(observe: { observe(FrameStep(frame: index, trustedPercent: trusted, step: $0, seconds: seconds())) },
                                         shouldStop: shouldStop)
            switch result.end {
            case .finished: break
            case .stopped: return .stopped(frame: index)
            case .diverged: return .diverged(frame: index)
            }
            let runPicture = stylization.runPicture(of: result.image)
            try finished(StyledFrame(index: index, picture: stylization.picture(of: result.image), runPicture: runPicture, steps: result.steps,
                                     seconds: seconds(), carriedOver: !compared.isEmpty))
            earlier[index] = (content, runPicture)
            earlier = earlier.filter { $0.key > index - keep }
        }
        return .finished
    }
}
