import Foundation
import Tensors   // isDebugBuild, the one debug flag (BuildConfiguration.swift)

/// The first line of a program that runs VGG19 when it is a debug build (nil in a release
/// build). The fast kernels and the chapters are optimised in debug builds too (Package.swift),
/// so the descent runs at a release build's speed; but the readers of outside bytes (inflate,
/// PNG, the weight file) are not, and reading the weights and the sample photo takes about
/// `debugExtraStartSeconds` longer. The line says so, and gives the command users run.
public func debugBuildNotice(program: String) -> String? {
    guard isDebugBuild else { return nil }
    return "\(program): this is a debug build, as fast once running but about \(debugExtraStartSeconds) s slower to read the weights "
        + "and pictures; `swift run -c release \(program)` builds what users run"
}

/// How much longer a debug build takes to start: `style-transfer --size 64 --iterations 0`,
/// 5.0 s against 0.9 s for the release build (docs/DESIGN.md, section 6).
public let debugExtraStartSeconds = 4

/// Prints `debugBuildNotice` as the program's first line (on standard output: standard error
/// keeps its one line for a refusal).
public func sayIfDebugBuild(program: String) {
    if let notice = debugBuildNotice(program: program) { print(notice) }
}
