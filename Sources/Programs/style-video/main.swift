// Styles a video, a folder of frames, without flicker (chapter 11; Ruder, Dosovitskiy and Brox,
// "Artistic Style Transfer for Videos"). The frame loop is VideoRun's (FrameLoop.swift); the
// options, the checks of the frames and what the run says are StyleVideoCommand's. Each styled
// frame is written atomically as it is finished: Ctrl-C keeps every finished frame, and the same
// command again picks up at the first frame not written. Run with `swift run -c release style-video --frames DIR`.
import Foundation
import AtomicFiles
import Pictures
import FastNetwork
import PerceptualControl
import VideoRun
import StyleTransferCommand
import StyleVideoCommand
import NetworkPrograms
import LivePreview

let command = StyleVideoCommand.spec
let arguments = command.parseCommandLine()
sayIfDebugBuild(program: command.name)

// ---- Every option and every frame checked, then the styles and the network.
let request: StyleVideoRequest, styles: [FloatImage]
do {
    request = try StyleVideoRequest(arguments)
    styles = try request.stylePaths?.map(NetworkProgram.readPicture) ?? [NetworkProgram.defaultStyle()]
    try makeFolder(request.outputFolder)
} catch { command.fail(error) }
let network = NetworkProgram.loadNetwork(arguments, pooling: .max, of: command)
let video = VideoStylization(network: FastVGG(network), styles: styles, settings: request.settings)
var report = StyleVideoReport(request: request)
report.opening.forEach { print($0) }

// ---- The frames, one at a time; a frame styled by an earlier run is read back as the
// optimisation made it (with --preserve-colors luminance, its luminance).
let interrupt = InterruptCounter()
var progressBar = ProgressBar()
// --preview: the page shows each frame as it is styled; its Stop ends the run after the frames done.
let preview = startPreview(port: request.previewPort, program: command.name, of: command)
let end = video.styleFrames(report.firstDone..<request.frameNames.count, frame: { index in
    do { return video.prepared(try NetworkProgram.readPicture(request.framePath(index))) } catch { command.fail(error) }
}, styledEarlier: { index in
    do {
        let picture = try NetworkProgram.readPicture(request.outputPath(index))
        return request.settings.frame.colours == .luminance ? greyLuminance(picture) : picture
    } catch { command.fail("reading the styled frame \(request.outputPath(index)) to continue: \(error)") }
}, observe: { step in
    let (fraction, text, left) = report.progress(step)
    progressBar.update(fraction: fraction, text, worthALine: step.step.row.iteration % 25 == 0)
    if let preview {
        let image = step.step.image
        preview.publishPicture { NetworkProgram.picture(video.network.network.preprocessing.invert(image)).raster() }   // as the optimisation has it now
        var event = PreviewEvent(program: command.name, step: step.step, settings: request.settings.frame)
        (event.frame, event.frames) = (step.frame + 1, request.frameNames.count)
        event.iterations = step.frame == 0 ? request.settings.frame.iterations : request.settings.laterIterations
        // The pace of this frame's own run, and the time left for the whole clip.
        (event.rate, event.secondsLeft) = (step.seconds > 0 ? Double(step.step.row.iteration) / step.seconds : nil, left)
        preview.publish(event)
    }
}, shouldStop: { interrupt.pressed || preview?.stopRequested == true }, finished: { frame in
    if let problem = writeResult(frame.picture.raster(), to: request.outputPath(frame.index)) { command.fail(problem) }
    report.finished(frame)
})
progressBar.finish()
switch end {
case .finished:
    if let closing = report.closing { print(closing) }
    endPreview(preview, report.closing ?? "nothing to style")
case .stopped(let index):
    let line = report.stopped(at: index)
    let fromThePage = !interrupt.pressed && preview?.stopRequested == true
    print(fromThePage ? report.stopped(at: index, by: "stopped from the preview page") : line)
    endPreview(preview, line)
    exit(fromThePage ? 0 : 130)
case .diverged(let index):
    let line = "the loss became NaN or infinite on \(request.frameNames[index]) (try a smaller --learning-rate); the frames before it are in \(request.outputFolder)"
    endPreview(preview, line)
    command.fail(line)
}
if let path = request.animationPath {
    do { print(try report.writeAnimation(to: path)) } catch { command.fail("\(error)") }
}
