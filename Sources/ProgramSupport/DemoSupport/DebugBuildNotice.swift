import Foundation

/// Whether this program was built for debugging (`swift run NAME` without `-c release`).
public var isDebugBuild: Bool {
    #if DEBUG
    return true
    #else
    return false
    #endif
}

/// The first line of a program that runs VGG19 when it is a debug build (nil in a release
/// build): the fast kernels are built without `-Ounchecked` and for no particular CPU there,
/// which costs far more than a learner would guess (`debugSlowdown`), so the line says so and
/// gives the command to use instead.
public func debugBuildNotice(program: String) -> String? {
    guard isDebugBuild else { return nil }
    return "\(program): this is a debug build, about \(debugSlowdown) times slower than a release build; "
        + "for real runs use `swift run -c release \(program)`"
}

/// How much slower a loss+gradient evaluation runs in a debug build than in a release build
/// (`benchmark --sizes 128`, both builds, one sitting: docs/DESIGN.md, section 6).
public let debugSlowdown = 40

/// Writes `debugBuildNotice` to standard error, before anything else the program says.
public func sayIfDebugBuild(program: String) {
    if let notice = debugBuildNotice(program: program) { FileHandle.standardError.write(Data((notice + "\n").utf8)) }
}
