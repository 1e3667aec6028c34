// fetch-samples: fetches the pinned sample photos (docs/DESIGN.md, section 3) into the cache and
// prints where they are. Other programs fetch on first use too; this just does it up front.
import Foundation
import Fetching

do {
    for file in SamplePhotos.all {
        print(try SamplePhotos.path(file.name))
    }
} catch {
    FileHandle.standardError.write("fetch-samples: \(error)\n".data(using: .utf8)!)
    exit(1)
}
