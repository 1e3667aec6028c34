import Foundation
import LivePreview
import StyleTransferRun
import Pictures
import CommandLineArguments
import NetworkPrograms

// `--preview [PORT]` for the three programs that run for minutes (style-transfer, style-video,
// style-train): the option, starting the server (its address printed, with the token), and the
// event a step of a run makes. The server itself is LivePreview's (appendix D).

extension StyleTransferCommand {
    public static let preview = Option<Int?>.port("--preview",
        help: "serve a page at 127.0.0.1 (on PORT, or one the system chooses) that shows the picture, the losses and the time left as the run goes, "
            + "with buttons that stop it (the picture written) or skip to the next scale; the address printed carries the token the page needs")
}

/// The preview server of a run of `program` on `port` (0: the system chooses), its address
/// printed; nil when not asked for. A port that cannot be had ends the program in one line.
public func startPreview(port: Int?, program: String, of command: CommandSpec) -> PreviewServer? {
    guard let port else { return nil }
    do {
        let server = try PreviewServer(port: port, program: program)
        print("watch it paint: open \(server.address) (this machine only; the token keeps it yours)")
        return server
    } catch { command.fail("--preview: \(error)") }
}

extension PreviewEvent {
    /// The event of a style-transfer step: the iteration of all, the scale, each loss term (the
    /// style named as the run's term is), the pace, the time left and the peak memory.
    public init(program: String, step: StylizationStep, settings: StylizationSettings) {
        self.init(program: program)
        let row = step.row
        iteration = row.iteration
        iterations = settings.totalIterations
        if settings.sizes.count > 1 {
            (scale, scales, size) = (step.scale + 1, settings.sizes.count, step.size)
            nextScaleAvailable = step.scale < settings.sizes.count - 1
        }
        losses = [("total", row.total), ("content", row.content), (settings.styleTerm.partName, row.style), ("tv", row.totalVariation)]
        if row.iteration > 0 && row.seconds > 0 { rate = Double(row.iteration) / row.seconds }
        if step.fractionDone > 0 { secondsLeft = row.seconds * (1 - step.fractionDone) / step.fractionDone }
        peakMemory = peakResidentBytes()
    }
}

/// Tells the page the run has ended (`message`), stops the server, and says how much processor
/// time its thread took beside the whole process's.
public func endPreview(_ server: PreviewServer?, _ message: String) {
    guard let server else { return }
    server.finish(message)
    var usage = rusage()
    #if os(Linux)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    let process = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    let share = process > 0 ? 100 * server.serverCPUSeconds / process : 0
    print(String(format: "preview: the server's thread used %.2f s of processor time, %.2f%% of the run's %.0f s", server.serverCPUSeconds, share, process))
}
