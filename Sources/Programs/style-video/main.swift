// Styles a video, a folder of frames, without flicker (chapter 11; Ruder, Dosovitskiy and Brox,
// "Artistic Style Transfer for Videos"). Everything it does per frame is VideoStylization's; the
// options and the checks of the frames are StyleVideoCommand's and StyleVideoRequest's. This
// file reads the frames one at a time, shows progress over the whole clip, writes each styled
// frame atomically as it is finished, and continues a run that was stopped: Ctrl-C keeps every
// finished frame, and the same command again picks up at the first frame not written.
// Run with `swift run -c release style-video --frames DIR`.
import Foundation
import Tensors
import Pictures
import ImageFiles
import AtomicFiles
import PerceptualControl
import FastNetwork
import StyleTransferRun
import StyleTransferCommand
import NetworkPrograms
import CommandLineArguments

let command = StyleVideoCommand.spec
let arguments = command.parseCommandLine()
sayIfDebugBuild(program: command.name)

// ---- Every option and every frame checked, then the styles and the network.
let request: StyleVideoRequest
let styles: [FloatImage]
do {
    request = try StyleVideoRequest(arguments)
    styles = try request.stylePaths?.map(NetworkProgram.readPicture) ?? [NetworkProgram.defaultStyle()]
    try makeFolder(request.outputFolder)
} catch let error as ArgumentError { command.fail(error) } catch { command.fail("\(error)") }
let settings = request.settings
let count = request.frameNames.count
let firstDone = request.framesDone()
let network = NetworkProgram.loadNetwork(arguments, pooling: .max, of: command)
let video = VideoStylization(network: FastVGG(network), styles: styles, settings: settings)

/// A frame as the run takes it: read and resized to --size.
func frame(_ index: Int) -> FloatImage {
    do { return video.prepared(try NetworkProgram.readPicture(request.framePath(index))) } catch { command.fail("\(error)") }
}

/// A frame styled by an earlier run, read back as the optimisation made it: with the colours
/// kept by a luminance-only transfer, its luminance; otherwise the picture itself. (With
/// --original-colors the run's own colours are not in the file, so the frame's luminance with
/// the file's colours stands in for them.)
func styledEarlier(_ index: Int) -> FloatImage {
    do {
        let picture = try NetworkProgram.readPicture(request.outputPath(index))
        return settings.frame.colours == .luminance ? greyLuminance(picture) : picture
    } catch { command.fail("reading the styled frame \(request.outputPath(index)) to continue: \(error)") }
}

let (height, width) = FloatImage(channels: 1, height: request.frameHeight, width: request.frameWidth).shape(longestSide: settings.frame.size)
let temporal = settings.temporalWeight == 0 ? "each frame styled on its own"
    : "temporal weight \(shortest(settings.temporalWeight))\(settings.longTerm ? ", long-term (1, 2 and 4 frames back)" : "")"
print("Styling \(counted(count, "frame")) of \(request.framesFolder) at \(width)x\(height) into \(request.outputFolder), \(temporal); "
      + "\(settings.frame.iterations) iterations for the first frame, \(settings.temporalWeight == 0 ? settings.frame.iterations : settings.laterIterations) for each later one.")
if firstDone == count {
    print("all \(counted(count, "frame")) are already styled in \(request.outputFolder) (remove them, or give another --output, to style them again)")
} else if firstDone > 0 {
    print("continuing after the \(counted(firstDone, "frame")) already styled in \(request.outputFolder): starting at \(request.frameNames[firstDone])")
}

// ---- The frames, one at a time. Only the few earlier frames the temporal loss compares with
// are kept: the clip's length costs no memory.
let keep = settings.distances.max() ?? 0
var earlier: [Int: (content: FloatImage, stylised: FloatImage)] = [:]
for distance in settings.distances where firstDone - distance >= 0 {
    earlier[firstDone - distance] = (frame(firstDone - distance), styledEarlier(firstDone - distance))
}
let interrupt = InterruptCounter()
var progressBar = ProgressBar()
let started = DispatchTime.now().uptimeNanoseconds
func seconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }
var frameSeconds: [Double] = []
for index in firstDone..<count {
    let content = frame(index)
    let compared = settings.distances.compactMap { d in earlier[index - d].map { EarlierFrame(distance: d, content: $0.content, stylised: $0.stylised) } }
    let frameStart = seconds()
    let (stylization, alignments) = video.stylization(of: content, earlier: compared)
    let trusted = alignments.first.map { a in Int((100 * a.reliability.reduce(0, +) / Float(a.reliability.count)).rounded()) }
    let result = stylization.run(observe: { step in
        // Time left: the rest of this frame, then each later frame at the pace of the later
        // frames done so far (before any is done, this frame's pace, scaled by the iterations).
        let elapsed = seconds() - frameStart, fraction = max(step.fractionDone, 0.02)
        let thisFrame = elapsed / fraction
        let laterDone = Array(frameSeconds.dropFirst(firstDone == 0 ? 1 : 0))
        let perLater = !laterDone.isEmpty ? laterDone.reduce(0, +) / Double(laterDone.count)
            : compared.isEmpty ? thisFrame * Double(settings.distances.isEmpty ? 1 : settings.laterIterations) / Double(max(settings.frame.iterations, 1))
            : thisFrame
        let left = thisFrame - elapsed + perLater * Double(count - index - 1)
        let text = "frame \(index + 1) of \(count) (\(request.frameNames[index]))\(trusted.map { ", flow trusted on \($0)%" } ?? ""), "
            + "iteration \(step.row.iteration), loss \(String(format: "%.4g", step.row.total)), \(readableDuration(seconds())) so far"
            + (step.fractionDone > 0.05 || !frameSeconds.isEmpty ? ", about \(readableDuration(left)) left" : "")
        progressBar.update(fraction: (Double(index - firstDone) + step.fractionDone) / Double(count - firstDone), text, worthALine: step.row.iteration % 25 == 0)
    }, shouldStop: { interrupt.pressed })
    switch result.end {
    case .finished: break
    case .stopped:
        progressBar.finish()
        print("interrupted during \(request.frameNames[index]): \(index) of \(count) frames are styled in \(request.outputFolder); the same command continues from \(request.frameNames[index])")
        exit(130)
    case .diverged:
        progressBar.finish()
        command.fail("the loss became NaN or infinite on \(request.frameNames[index]) (try a smaller --learning-rate); the frames before it are in \(request.outputFolder)")
    }
    if let problem = writeResult(stylization.picture(of: result.image).raster(), to: request.outputPath(index)) { command.fail(problem) }
    frameSeconds.append(seconds() - frameStart)
    earlier[index] = (content, stylization.runPicture(of: result.image))
    earlier = earlier.filter { $0.key > index - keep }
}
progressBar.finish()
if !frameSeconds.isEmpty {
    let later = frameSeconds.dropFirst(firstDone == 0 ? 1 : 0)
    print("styled \(counted(frameSeconds.count, "frame")) in \(readableDuration(seconds()))"
          + (firstDone == 0 ? ": the first in \(readableDuration(frameSeconds[0]))" : "")
          + (later.isEmpty ? "" : ", \(firstDone == 0 ? "the others" : "each") in \(readableDuration(later.reduce(0, +) / Double(later.count))) on average")
          + "; wrote them to \(request.outputFolder)")
}

// ---- The animation, from the styled frames on disk, one at a time.
if let path = request.animationPath {
    var animation: AnimatedPNGWriter? = nil
    for index in 0..<count {
        let picture: RasterImage
        do { picture = try ImageFile.read(request.outputPath(index)).converted(to: .rgb).rescaled(to: 255) } catch {
            command.fail("reading \(request.outputPath(index)) for the animation: \(error)")
        }
        if animation == nil { animation = AnimatedPNGWriter(width: picture.width, height: picture.height, framesPerSecond: request.frameRate) }
        guard picture.width == animation!.width && picture.height == animation!.height else {
            command.fail("\(request.outputPath(index)) is \(picture.width)x\(picture.height), not \(animation!.width)x\(animation!.height) as the first styled frame: was it styled at another --size?")
        }
        animation!.add(picture)
    }
    do { try ImageFile.writeAtomically(animation!.encoded(), to: path) } catch { command.fail("\(error)") }
    print("wrote the animation, \(counted(count, "frame")) at \(request.frameRate) per second, to \(path)")
}
