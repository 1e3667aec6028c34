// VGG19 with its real ImageNet weights for the tests that need it: fetched and checked on first
// use, as the programs do, and read once per test process. Offline the tests that need it are
// skipped, saying so: the suite passes without a network. Under CI (the environment variable CI
// set to true, as .ci/run sets it) such a test fails instead: CI must prove the real runs ran.
import XCTest
import Foundation
import VGG
import Fetching

/// The network, read once; offline, the error that stopped it.
let realVGG19: Result<VGG, Error> = Result { try VGG.pretrained(weights: PretrainedWeights.vgg19Path()) }

/// VGG19 on its real weights, or a skip (a failure under CI) that says what to fetch.
public func realVGG19OrSkip() throws -> VGG {
    switch realVGG19 {
    case .success(let network): return network
    case .failure(let error):
        throw missingRealData("needs the VGG19 weights, which could not be fetched (run `swift run -c release fetch-samples` with a network): \(error)")
    }
}

/// Whether the tests run under CI: the environment variable CI is `true` (.ci/run sets it).
public var runningUnderCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

/// What a test throws when what it needs could not be fetched: a skip that says `why`, or under
/// CI a failure that says it.
public func missingRealData(_ why: String) -> Error {
    runningUnderCI ? MissingRealData(description: "CI=true, so a test that cannot run on the real data fails: \(why)") : XCTSkip(why)
}

/// A test under CI without the data it needs.
public struct MissingRealData: Error, CustomStringConvertible {
    public var description: String
}
