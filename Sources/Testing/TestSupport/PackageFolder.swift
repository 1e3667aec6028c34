// Where the tests find the package's own files (the notebooks, the fuzzing corpora, fixtures, the
// cache of fetched files): the folder that holds Package.swift, found from the test's source
// file however deep the folder layout puts it.
import Foundation

/// The package's folder: the nearest folder above `file` (a test's `#filePath`) that holds
/// Package.swift.
public func packageFolder(of file: String = #filePath) -> URL {
    var folder = URL(fileURLWithPath: file).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
        let parent = folder.deletingLastPathComponent()
        precondition(parent.path != folder.path, "\(file) is not inside a Swift package")
        folder = parent
    }
    return folder
}
