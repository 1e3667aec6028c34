// A test that needs a process of its own: a setting read once at start-up (the number of
// threads, STYLE_THREADS), or a trap that ends the process. The test runs itself again, as a
// child process of the test executable, with the environment it needs.
import Foundation

/// What a child test run printed and how it ended.
public struct ChildTestRun {
    public var terminationReason: Process.TerminationReason
    public var status: Int32
    public var output: String
}

public enum ChildProcessTestError: Error, CustomStringConvertible {
    case unsupportedPlatform
    case noTestBundle
    public var description: String {
        switch self {
        case .unsupportedPlatform: return "child test processes run on Linux and macOS only"
        case .noTestBundle: return "cannot find the test bundle to run the child test in"
        }
    }
}

/// Runs the one test `test` ("Module.Class/testMethod") of this test executable in a child
/// process, with `environment` added to this process's; returns when it has ended. On Linux the
/// test executable is `/proc/self/exe`; on macOS, Xcode's `xctest` runs one test of the bundle.
public func runChildTest(_ test: String, environment: [String: String]) throws -> ChildTestRun {
    let child = Process()
    #if os(Linux)
    child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
    child.arguments = [test]
    #elseif os(macOS)
    guard let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) else { throw ChildProcessTestError.noTestBundle }
    child.executableURL = URL(fileURLWithPath: "/usr/bin/xcrun")
    child.arguments = ["xctest", "-XCTest", test, bundle.bundlePath]
    #else
    throw ChildProcessTestError.unsupportedPlatform
    #endif
    child.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let output = Pipe()
    child.standardOutput = output
    child.standardError = output
    try child.run()
    let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    child.waitUntilExit()
    return ChildTestRun(terminationReason: child.terminationReason, status: child.terminationStatus, output: printed)
}
