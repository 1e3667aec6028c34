// VGG19 with its real ImageNet weights for the tests that need it: fetched and checked on first
// use, as the programs do, and read once per test process. Offline the tests that need it are
// skipped, saying so: the suite passes without a network.
import XCTest
import VGG
import Fetching

/// The network, read once; offline, the error that stopped it.
let realVGG19: Result<VGG, Error> = Result { try VGG.pretrained(weights: PretrainedWeights.vgg19Path()) }

/// VGG19 on its real weights, or a skip that says what to fetch.
public func realVGG19OrSkip() throws -> VGG {
    switch realVGG19 {
    case .success(let network): return network
    case .failure(let error):
        throw XCTSkip("needs the VGG19 weights, which could not be fetched (run `swift run -c release fetch-samples` with a network): \(error)")
    }
}
