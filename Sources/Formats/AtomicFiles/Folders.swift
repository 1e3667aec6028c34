import Foundation

/// A folder that could not be made, in one line.
public struct FolderError: Error, CustomStringConvertible {
    public let description: String
}

/// Makes the folder at `path` (and any missing parents) unless it exists; throws, in one line,
/// if something that is not a folder is in the way or the folder cannot be made.
public func makeFolder(_ path: String) throws {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
        guard isFolder.boolValue else { throw FolderError(description: "\(path) exists and is not a folder") }
        return
    }
    do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
        throw FolderError(description: "cannot create the folder \(path)")
    }
}
