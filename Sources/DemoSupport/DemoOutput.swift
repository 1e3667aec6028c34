import Foundation
import ImageFiles
import Pictures

/// Where a demo writes its pictures: a folder (by default under `output/`, which git ignores),
/// created on first use. Each write prints the path, so the learner knows what to open; a
/// failure prints one line and exits, as every program here does on bad input.
public struct DemoOutput {
    public let folder: String
    let program: String

    /// The folder is the first command-line argument if there is one, else `output/NAME`.
    public init(name: String) {
        self.init(folder: CommandLine.arguments.dropFirst().first ?? "output/" + name)
    }

    /// Exactly this folder.
    public init(folder: String) {
        program = (CommandLine.arguments.first.map { ($0 as NSString).lastPathComponent }) ?? "demo"
        self.folder = folder
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            fail("cannot create \(folder): \(error.localizedDescription)")
        }
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

    public func fail(_ message: String) -> Never {
        FileHandle.standardError.write("\(program): \(message)\n".data(using: .utf8)!)
        exit(1)
    }

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
