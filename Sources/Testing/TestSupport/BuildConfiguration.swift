/// Whether the tests (and the programs built with them) were built for debugging. Tests of whole
/// runs on the real VGG19 run in `.ci/run`'s release pass and skip themselves here, saying so.
#if DEBUG
public let testsBuiltForDebugging = true
#else
public let testsBuiltForDebugging = false
#endif
