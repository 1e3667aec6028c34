/// Whether this code was built for debugging (`swift build`, `swift test`, `swift run NAME`
/// without `-c release`): the one flag the programs (their notice of a debug build) and the tests
/// (the whole runs on the real VGG19 that skip themselves in a debug build, saying so, and run in
/// `.ci/run`'s release pass) ask.
#if DEBUG
public let isDebugBuild = true
#else
public let isDebugBuild = false
#endif
