import Foundation
import AtomicFiles
import ImageFiles
import Pictures
import CommandLineArguments

/// Where a demo writes its pictures: a folder (by default under `output/`, which git ignores),
/// created on first use. Each write prints the path, so the learner knows what to open; a
/// failure prints one line and exits, as every program here does on bad input.
public struct DemoOutput {
    public let folder: String
    let program: String

    /// Where demo `name` writes by default: `output/` and its name without "-demo".
    public static func defaultFolder(_ name: String) -> String { "output/" + name.replacingOccurrences(of: "-demo", with: "") }

    /// Demo `name`'s `--output DIR`.
    public static func folderOption(_ name: String) -> Option<String> {
        .text("--output", value: "DIR", default: defaultFolder(name), help: "the folder for the pictures")
    }

    /// The command line every demo accepts: `--output DIR` and `--help`.
    public static func command(name: String, summary: String) -> CommandSpec {
        CommandSpec(name: name, summary: summary, options: [folderOption(name).spec])
    }

    /// Reads this process's command line by the demo convention (`--help` prints the help and
    /// exits; anything else unknown is an error) and makes the output folder.
    public init(name: String, summary: String) {
        self.init(DemoOutput.command(name: name, summary: summary).parseCommandLine(), name: name)
    }

    /// The folder `--output` names in `arguments` (demo `name`'s default without it), made.
    public init(_ arguments: ParsedArguments, name: String) {
        self.init(folder: (try? DemoOutput.folderOption(name).read(arguments)) ?? DemoOutput.defaultFolder(name), program: name)
    }

    /// Exactly this folder, made if missing; a path that cannot be a folder ends the program
    /// with one line and exit status 1.
    public init(folder: String, program: String) {
        self.program = program
        self.folder = folder
        // The static `fail`, not the method: in release builds Swift 6.3 crashed (signal 11)
        // calling an instance method that reads `program` from inside this initialiser.
        do { try makeFolder(folder) } catch { Self.fail(program: program, "\(error)") }
    }

    /// Writes `image` as PNG (8 bits per sample) into the folder, atomically.
    public func save(_ image: FloatImage, _ name: String) {
        do {
            try ImageFile.write(image.raster(), to: folder + "/" + name)
            print("  wrote \(folder)/\(name)")
        } catch {
            fail("\(error)")
        }
    }

    public func fail(_ message: String) -> Never { Self.fail(program: program, message) }

    /// One line on standard error, `PROGRAM: MESSAGE`, and exit status 1.
    public static func fail(program: String, _ message: String) -> Never { exitWithMessage(program: program, message) }

    /// Writes a chart as SVG into the folder, atomically.
    public func saveChart(_ chart: LineChart, _ name: String) {
        do {
            try ImageFile.writeAtomically(Array(chart.svg().utf8), to: folder + "/" + name)
            print("  wrote \(folder)/\(name)")
        } catch {
            fail("\(error)")
        }
    }
}
