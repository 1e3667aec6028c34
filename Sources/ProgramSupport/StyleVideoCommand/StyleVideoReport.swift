import Foundation
import Pictures
import ImageFiles
import PerceptualControl
import FastLosses
import StyleTransferRun
import VideoRun
import StyleTransferCommand
import NetworkPrograms
import CommandLineArguments

/// What `style-video` says as it styles a clip: what it will do, each frame's progress with the
/// time left over the whole clip, and what it did; and the animation it writes at the end.
public struct StyleVideoReport {
    public let request: StyleVideoRequest
    /// The frames already styled by an earlier run (this one continues after them).
    public let firstDone: Int
    /// Each frame's seconds, as they finish.
    public private(set) var frameSeconds: [Double] = []
    let started = DispatchTime.now().uptimeNanoseconds

    /// The report of `request`'s run, continuing after the frames already written.
    public init(request: StyleVideoRequest) {
        self.request = request
        firstDone = request.framesDone()
    }

    var count: Int { request.frameNames.count }
    var settings: VideoSettings { request.settings }
    /// Seconds since the run began.
    public func seconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }

    /// What the run will do, and what it continues.
    public var opening: [String] {
        let (height, width) = FloatImage(channels: 1, height: request.frameHeight, width: request.frameWidth).shape(longestSide: settings.frame.size)
        let temporal = settings.temporalWeight == 0 ? "each frame styled on its own"
            : "temporal weight \(shortest(settings.temporalWeight))\(settings.longTerm ? ", long-term (1, 2 and 4 frames back)" : "")"
        var lines = ["Styling \(counted(count, "frame")) of \(request.framesFolder) at \(width)x\(height) into \(request.outputFolder), \(temporal); "
            + "\(settings.frame.iterations) iterations for the first frame, \(settings.temporalWeight == 0 ? settings.frame.iterations : settings.laterIterations) for each later one"
            + (settings.frame.styleTerm is GramMatrixStyle ? "." : "; the style compared by \(settings.frame.styleTerm.name) (--style-loss).")]
        if firstDone == count {
            lines.append("all \(counted(count, "frame")) are already styled in \(request.outputFolder) (remove them, or give another --output, to style them again)")
        } else if firstDone > 0 {
            lines.append("continuing after the \(counted(firstDone, "frame")) already styled in \(request.outputFolder): starting at \(request.frameNames[firstDone])")
        }
        return lines
    }

    /// A frame's progress line, the share of the clip done, and the seconds left (nil until they
    /// can be told). The time left: the rest of this
    /// frame, then each later frame at the pace of the later frames done so far (before any is
    /// done, this frame's pace, scaled by the iterations).
    public func progress(_ frameStep: FrameStep) -> (fraction: Double, text: String, secondsLeft: Double?) {
        let (index, step, elapsed) = (frameStep.frame, frameStep.step, frameStep.seconds)
        let thisFrame = elapsed / max(step.fractionDone, 0.02)
        let laterDone = Array(frameSeconds.dropFirst(firstDone == 0 ? 1 : 0))
        let perLater = !laterDone.isEmpty ? laterDone.reduce(0, +) / Double(laterDone.count)
            : frameStep.trustedPercent == nil
                ? thisFrame * Double(settings.distances.isEmpty ? 1 : settings.laterIterations) / Double(max(settings.frame.iterations, 1))
                : thisFrame
        let left = thisFrame - elapsed + perLater * Double(count - index - 1)
        let known = step.fractionDone > 0.05 || !frameSeconds.isEmpty
        let text = "frame \(index + 1) of \(count) (\(request.frameNames[index]))\(frameStep.trustedPercent.map { ", flow trusted on \($0)%" } ?? ""), "
            + "iteration \(step.row.iteration), loss \(String(format: "%.4g", step.row.total)), \(readableDuration(seconds())) so far"
            + (known ? ", about \(readableDuration(left)) left" : "")
        return ((Double(index - firstDone) + step.fractionDone) / Double(count - firstDone), text, known ? left : nil)
    }

    /// Counts a finished frame.
    public mutating func finished(_ frame: StyledFrame) { frameSeconds.append(frame.seconds) }

    /// What the run did, once it has styled every frame; nil if there was nothing to style.
    public var closing: String? {
        guard !frameSeconds.isEmpty else { return nil }
        let later = frameSeconds.dropFirst(firstDone == 0 ? 1 : 0)
        return "styled \(counted(frameSeconds.count, "frame")) in \(readableDuration(seconds()))"
            + (firstDone == 0 ? ": the first in \(readableDuration(frameSeconds[0]))" : "")
            + (later.isEmpty ? "" : ", \(firstDone == 0 ? "the others" : "each") in \(readableDuration(later.reduce(0, +) / Double(later.count))) on average")
            + "; wrote them to \(request.outputFolder)"
    }

    /// What the run says when it ends early at frame `index`.
    public func stopped(at index: Int, by cause: String = "interrupted") -> String {
        "\(cause) during \(request.frameNames[index]): \(index) of \(count) frames are styled in \(request.outputFolder); the same command continues from \(request.frameNames[index])"
    }

    /// The styled frames on disk, read one at a time, written as one animated PNG to `path`
    /// (atomically); the line that says so.
    public func writeAnimation(to path: String) throws -> String {
        var animation: AnimatedPNGWriter? = nil
        for index in 0..<count {
            let picture: RasterImage
            do { picture = try ImageFile.read(request.outputPath(index)).converted(to: .rgb).rescaled(to: 255) } catch {
                throw StyleTransferRequestError("reading \(request.outputPath(index)) for the animation: \(error)")
            }
            if animation == nil { animation = AnimatedPNGWriter(width: picture.width, height: picture.height, framesPerSecond: request.frameRate) }
            guard picture.width == animation!.width && picture.height == animation!.height else {
                throw StyleTransferRequestError("\(request.outputPath(index)) is \(picture.width)x\(picture.height), not \(animation!.width)x\(animation!.height) as the first styled frame: was it styled at another --size?")
            }
            animation!.add(picture)
        }
        try ImageFile.writeAtomically(animation!.encoded(), to: path)
        return "wrote the animation, \(counted(count, "frame")) at \(request.frameRate) per second, to \(path)"
    }
}
