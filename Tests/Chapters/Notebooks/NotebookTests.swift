import XCTest
import TestSupport
import Foundation

/// The notebooks quote the source and show the demos' pictures. This test fails when a quoted
/// excerpt no longer matches the file it names, or when a picture a notebook shows is missing.
///
/// An excerpt is a fenced code block directly after a line `<!-- excerpt: PATH -->`; its lines
/// must appear, consecutively and exactly (trailing spaces aside), in PATH.
final class NotebookTests: XCTestCase {
    let root = packageFolder()

    func notebooks() throws -> [URL] {
        let folder = root.appendingPathComponent("Notebooks")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".md") }.sorted().map { folder.appendingPathComponent($0) }
    }

    func testExcerptsMatchTheSource() throws {
        var checked = 0
        for notebook in try notebooks() {
            let lines = try String(contentsOf: notebook, encoding: .utf8).components(separatedBy: "\n")
            var i = 0
            while i < lines.count {
                let line = lines[i].trimmingCharacters(in: .whitespaces)
                guard line.hasPrefix("<!-- excerpt:"), line.hasSuffix("-->") else { i += 1; continue }
                let path = line.dropFirst("<!-- excerpt:".count).dropLast(3).trimmingCharacters(in: .whitespaces)
                guard i + 1 < lines.count, lines[i + 1].hasPrefix("```") else {
                    XCTFail("\(notebook.lastPathComponent): excerpt marker for \(path) is not followed by a code block")
                    i += 1
                    continue
                }
                var j = i + 2
                var excerpt: [String] = []
                while j < lines.count && !lines[j].hasPrefix("```") { excerpt.append(lines[j]); j += 1 }
                let sourceURL = root.appendingPathComponent(path)
                guard let source = try? String(contentsOf: sourceURL, encoding: .utf8) else {
                    XCTFail("\(notebook.lastPathComponent): quotes \(path), which does not exist")
                    i = j + 1
                    continue
                }
                let sourceLines = source.components(separatedBy: "\n").map { $0.trimmingTrailingSpaces }
                let wanted = excerpt.map { $0.trimmingTrailingSpaces }
                XCTAssertTrue(contains(sourceLines, wanted),
                              "\(notebook.lastPathComponent): excerpt starting \"\(wanted.first ?? "")\" no longer matches \(path)")
                checked += 1
                i = j + 1
            }
        }
        XCTAssertGreaterThan(checked, 0, "no excerpts found")
    }

    /// The text is dateless: figures of particular runs live on one page, docs/RESULTS.md, written
    /// by scripts/results-page.py; the README, the notebooks, the docs, the scripts and the source's
    /// comments say what is, not the story of how it came to be (the git log keeps that).
    func testNoTextTellsTheStoryOfRuns() throws {
        let phrases = ["sitting", "at the time", "old default", "new default", "previous default", "minutes later", "hours later",
                       "since then", "this session", "until then", "fell from", "used to be", "the default since",
                       "on this machine", "first version", "during development", "came about"]
        var files = ["README.md", "CREDITS.md"].map { root.appendingPathComponent($0) } + (try notebooks())
        for folder in ["docs", "Sources", "scripts"] {
            let base = root.appendingPathComponent(folder)
            let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                guard ["md", "swift", "py", "sh"].contains(url.pathExtension), url.lastPathComponent != "RESULTS.md" else { continue }
                files.append(url)
            }
        }
        XCTAssertGreaterThan(files.count, 100, "the files were not found")
        for file in files {
            let lines = try String(contentsOf: file, encoding: .utf8).lowercased().components(separatedBy: "\n")
            for (number, line) in lines.enumerated() {
                for phrase in phrases where line.contains(phrase) {
                    XCTFail("\(file.path.dropFirst(root.path.count + 1)):\(number + 1) tells the story of a run (\"\(phrase)\"): "
                            + "put the figure in docs/RESULTS.md and say what is")
                }
            }
        }
    }

    /// Appendix 9a's losses come from one set of runs (scripts/appendix-09a.sh), whose table the
    /// script writes between the runs-table markers: every loss its prose quotes (a number
    /// written like 4.717e6) is one the table shows, so the prose and the table cannot disagree.
    func testAppendix9aQuotesOnlyItsTable() throws {
        let text = try String(contentsOf: root.appendingPathComponent("Notebooks/09a-runs-and-costs.md"), encoding: .utf8)
        let begin = "<!-- runs-table: written by scripts/appendix-09a-table.py -->", end = "<!-- end runs-table -->"
        guard let start = text.range(of: begin), let stop = text.range(of: end) else { return XCTFail("9a has no runs-table markers") }
        let table = String(text[start.upperBound..<stop.lowerBound])
        let prose = String(text[..<start.lowerBound]) + String(text[stop.upperBound...])
        let regex = try NSRegularExpression(pattern: #"\b[0-9]+\.[0-9]+e[0-9]+\b"#)
        func losses(_ s: String) -> Set<String> {
            Set(regex.matches(in: s, range: NSRange(s.startIndex..., in: s)).map { String(s[Range($0.range, in: s)!]) })
        }
        let quoted = losses(prose)
        XCTAssertGreaterThan(quoted.count, 5, "9a quotes its runs' losses")
        XCTAssertEqual(quoted.subtracting(losses(table)), [], "losses 9a quotes that its table does not show")
    }

    func testPicturesExist() throws {
        var checked = 0
        for notebook in try notebooks() {
            let text = try String(contentsOf: notebook, encoding: .utf8)
            let regex = try NSRegularExpression(pattern: #"!\[[^\]]*\]\(([^)]+)\)"#)
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let target = String(text[Range(match.range(at: 1), in: text)!])
                let url = notebook.deletingLastPathComponent().appendingPathComponent(target)
                XCTAssertTrue(FileManager.default.fileExists(atPath: url.path), "\(notebook.lastPathComponent) shows missing \(target)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 0, "no pictures found")
    }

    /// Every chapter notebook (the numbered ones) opens, right after its title, with a quotation
    /// and the line saying whose words they are.
    func testEveryChapterOpensWithAnAttributedQuotation() throws {
        var checked = 0
        for notebook in try notebooks() where notebook.lastPathComponent.first?.isNumber == true {
            let lines = try String(contentsOf: notebook, encoding: .utf8).components(separatedBy: "\n")
            guard lines.count > 3, lines[0].hasPrefix("# ") else { XCTFail("\(notebook.lastPathComponent) has no title"); continue }
            let quotation = lines.dropFirst(2).prefix { $0.hasPrefix(">") }
            XCTAssertTrue(quotation.first?.hasPrefix("> \"") == true, "\(notebook.lastPathComponent) does not open with a quotation")
            XCTAssertTrue(quotation.contains { $0.hasPrefix("> — ") }, "\(notebook.lastPathComponent): the quotation is not attributed")
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 7)
    }

    /// Every chapter (01 to 12, 2b and 6b; not the appendices) ends with a section "Exercises" of
    /// two to four numbered items, and every test file it names as the checker of its answers exists.
    func testEveryChapterEndsWithExercises() throws {
        let chapters = try notebooks().filter {
            let name = $0.lastPathComponent
            return name.first?.isNumber == true && !name.hasPrefix("09a")
        }
        XCTAssertEqual(chapters.count, 15, chapters.map(\.lastPathComponent).joined(separator: ", "))
        for chapter in chapters {
            let text = try String(contentsOf: chapter, encoding: .utf8)
            let name = chapter.lastPathComponent
            guard let start = text.range(of: "\n## Exercises\n") else { XCTFail("\(name) has no Exercises section"); continue }
            let section = String(text[start.upperBound...])
            XCTAssertFalse(section.contains("\n## "), "\(name): Exercises is not the last section")
            let items = section.components(separatedBy: "\n").filter { $0.range(of: #"^[0-9]+\. "#, options: .regularExpression) != nil }
            XCTAssertTrue((2...4).contains(items.count), "\(name): \(items.count) exercises")
            let checkers = try NSRegularExpression(pattern: #"`(Tests/[^`]+\.swift)`"#)
            for match in checkers.matches(in: section, range: NSRange(section.startIndex..., in: section)) {
                let path = String(section[Range(match.range(at: 1), in: section)!])
                XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path), "\(name) names \(path), which does not exist")
            }
        }
    }

    /// Every relative link in the README, CREDITS and the notebooks leads to a file that exists.
    func testLinksLeadSomewhere() throws {
        var checked = 0
        let files = ["README.md", "CREDITS.md", "docs/USING.md", "docs/DESIGN.md"].map { root.appendingPathComponent($0) } + (try notebooks())
        let regex = try NSRegularExpression(pattern: #"\]\(([^)#\s]+)(#[^)]*)?\)"#)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let target = String(text[Range(match.range(at: 1), in: text)!])
                guard !target.contains("://") else { continue }
                let url = file.deletingLastPathComponent().appendingPathComponent(target)
                XCTAssertTrue(FileManager.default.fileExists(atPath: url.path), "\(file.lastPathComponent) links to missing \(target)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 30)
    }

    /// Every Swift file named by its file name, and every test named (an XCTest class ending in
    /// "Tests", a test target, or a test file's name) in the source, the tests, the notebooks, the
    /// docs and the scripts exists: a renamed file or test leaves no stale pointer behind.
    func testNamedFilesAndTestsExist() throws {
        var swiftFiles: Set<String> = ["main.swift", "Package.swift"], testNames: Set<String> = []
        var texts: [URL] = ["README.md", "Package.swift", ".ci/run"].map { root.appendingPathComponent($0) }
        for folder in ["Sources", "Tests", "Fuzz", "Notebooks", "docs", "scripts"] {
            let enumerator = FileManager.default.enumerator(at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                guard ["swift", "md", "py", "sh"].contains(url.pathExtension), url.lastPathComponent != "RESULTS.md" else { continue }
                texts.append(url)
                guard url.pathExtension == "swift" else { continue }
                swiftFiles.insert(url.lastPathComponent)
                if url.path.contains("/Tests/") { testNames.insert(url.deletingPathExtension().lastPathComponent) }
            }
        }
        let classes = try NSRegularExpression(pattern: #"class (\w+Tests)\b"#)
        let package = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        for match in try NSRegularExpression(pattern: #"testTarget\(name: "(\w+)""#).matches(in: package, range: NSRange(package.startIndex..., in: package)) {
            testNames.insert(String(package[Range(match.range(at: 1), in: package)!]))
        }
        var contents: [(URL, String)] = []
        for url in texts {
            let text = try String(contentsOf: url, encoding: .utf8)
            contents.append((url, text))
            if url.pathExtension == "swift" && url.path.contains("/Tests/") {
                for match in classes.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    testNames.insert(String(text[Range(match.range(at: 1), in: text)!]))
                }
            }
        }
        let fileNames = try NSRegularExpression(pattern: #"[A-Za-z0-9_+-]+\.swift\b"#)
        let tests = try NSRegularExpression(pattern: #"\b[A-Z][A-Za-z0-9]*Tests\b"#)
        var checked = 0
        for (url, text) in contents {
            let name = url.path.dropFirst(root.path.count + 1)
            for (number, line) in text.components(separatedBy: "\n").enumerated() {
                let range = NSRange(line.startIndex..., in: line)
                for match in fileNames.matches(in: line, range: range) {
                    let file = String(line[Range(match.range, in: line)!])
                    XCTAssertTrue(swiftFiles.contains(file), "\(name):\(number + 1) names \(file), which does not exist")
                    checked += 1
                }
                for match in tests.matches(in: line, range: range) {
                    let test = String(line[Range(match.range, in: line)!])
                    XCTAssertTrue(testNames.contains(test), "\(name):\(number + 1) names the test \(test), which does not exist")
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 200, "the names were not found")
    }

    func contains(_ haystack: [String], _ needle: [String]) -> Bool {
        guard !needle.isEmpty, needle.count <= haystack.count else { return needle.isEmpty }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<(start + needle.count)]) == needle { return true }
        }
        return false
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
        return String(s)
    }
}
