import XCTest
import CommandLineArguments

final class CommandLineArgumentsTests: XCTestCase {
    let spec = CommandSpec(name: "tool", summary: "Does a thing.",
                           options: [OptionSpec("--output", value: "DIR", help: "where"), OptionSpec("--runs", value: "N", help: "how often"),
                                     OptionSpec("--layers", help: "a flag")],
                           positionals: [("IN", "input"), ("OUT", "output")])

    func testGoodLists() throws {
        let a = try spec.parse(["in.png", "--output", "dir", "out.png", "--layers", "--runs=3"])
        XCTAssertEqual(a.positionals, ["in.png", "out.png"])
        XCTAssertEqual(a.value("--output"), "dir")
        XCTAssertEqual(a.value("--runs"), "3")
        XCTAssertTrue(a.isSet("--layers"))
        XCTAssertFalse(a.helpRequested)
        XCTAssertEqual(try a.integer("--runs", in: 1...9, default: 5), 3)
        // "--" ends the options: what follows is positional even if it starts with a dash.
        XCTAssertEqual(try spec.parse(["--", "-in", "--out"]).positionals, ["-in", "--out"])
        // --help wins over missing arguments.
        XCTAssertTrue(try spec.parse(["--help"]).helpRequested)
        XCTAssertTrue(try spec.parse(["-h", "x"]).helpRequested)
    }

    func testBadListsAreNamed() {
        func expect(_ arguments: [String], _ error: ArgumentError, line: UInt = #line) {
            XCTAssertThrowsError(try spec.parse(arguments), line: line) {
                XCTAssertEqual($0 as? ArgumentError, error, line: line)
                XCTAssertEqual(($0 as? ArgumentError)?.exitStatus, 2, line: line)
            }
        }
        expect(["a", "b", "--foo"], .unknownOption("--foo"))
        expect(["a", "b", "--foo=1"], .unknownOption("--foo"))
        expect(["a", "b", "c"], .strayArgument("c"))
        expect(["a"], .missingArgument("OUT"))
        expect([], .missingArgument("IN"))
        expect(["a", "b", "--output"], .missingValue(option: "--output"))
        expect(["a", "b", "--layers=yes"], .unexpectedValue(option: "--layers"))
        expect(["a", "b", "--runs", "1", "--runs", "2"], .repeatedOption("--runs"))
        XCTAssertTrue(ArgumentError.unknownOption("--foo").description.contains("--foo"))
    }

    func testBadValues() throws {
        let a = try spec.parse(["a", "b", "--runs", "many", "--output", "1,x"])
        XCTAssertThrowsError(try a.integer("--runs", in: 1...9, default: 5)) {
            XCTAssertEqual(($0 as? ArgumentError)?.exitStatus, 1)
            XCTAssertTrue("\($0)".contains("many"))
        }
        XCTAssertThrowsError(try a.integers("--output", in: 1...9, default: []))
        XCTAssertEqual(try spec.parse(["a", "b", "--runs", "4,5"]).integers("--runs", in: 1...9, default: []), [4, 5])
        XCTAssertEqual(try spec.parse(["a", "b"]).integer("--runs", in: 1...9, default: 5), 5)
        XCTAssertThrowsError(try spec.parse(["a", "b", "--runs", "10"]).integer("--runs", in: 1...9, default: 5))
    }

    /// Numbers: finite, in range, and one or a list.
    func testNumbers() throws {
        let a = try spec.parse(["a", "b", "--runs", "1e-3", "--output", "0.5,2"])
        XCTAssertEqual(try a.number("--runs", in: 0...1, default: 5), 1e-3)
        XCTAssertEqual(try a.numbers("--output", in: 0...9, default: []), [0.5, 2])
        XCTAssertEqual(try spec.parse(["a", "b"]).number("--runs", in: 0...1, default: 5), 5)
        for bad in ["nan", "inf", "2", "-0.1", "x", "1,2"] {
            XCTAssertThrowsError(try spec.parse(["a", "b", "--runs", bad]).number("--runs", in: 0...1, default: 5), bad) {
                XCTAssertEqual(($0 as? ArgumentError)?.exitStatus, 1)
                XCTAssertTrue("\($0)".contains(bad))
            }
        }
        XCTAssertThrowsError(try spec.parse(["a", "b", "--output", "1,,2"]).numbers("--output", in: 0...9, default: []))
    }

    /// A last positional named "NAME..." takes any number of arguments, at least one.
    func testVariadicPositional() throws {
        let files = CommandSpec(name: "sheet", summary: "", positionals: [("FILE...", "pictures")])
        XCTAssertEqual(try files.parse(["a", "b", "c"]).positionals, ["a", "b", "c"])
        XCTAssertThrowsError(try files.parse([])) { XCTAssertEqual($0 as? ArgumentError, .missingArgument("FILE...")) }
    }

    func testHelpListsEveryArgumentAndOption() {
        let help = spec.help
        XCTAssertTrue(help.hasPrefix("usage: tool [options] IN OUT"))
        for word in ["Does a thing.", "IN", "OUT", "--output DIR", "--runs N", "--layers", "--help"] {
            XCTAssertTrue(help.contains(word), word)
        }
    }
}
