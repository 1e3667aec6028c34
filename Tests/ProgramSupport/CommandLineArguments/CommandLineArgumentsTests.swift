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

    /// Options declared once: the value with its type, the default when absent, a refused value
    /// named with what was expected (exit status 1), and the help line from the same numbers.
    func testOptionsReadTheirValues() throws {
        let runs = Option<Int>.integer("--runs", in: 1...9, default: 5, help: "how often")
        let sizes = Option<[Int]>.integers("--sizes", in: 1...9, default: [2], help: "sizes")
        let rate = Option<Float>.number("--rate", in: 0...1, default: 0.5, help: "a rate")
        let blend = Option<[Float]?>.numbers("--blend", in: 0...9, help: "weights", defaultText: "equal")
        let files = Option<[String]?>.list("--files", help: "files")
        let kind = Option<PoolingChoice>.choice("--kind", PoolingChoice.allCases, default: .max, help: "a kind", defaultText: "max")
        let flag = Option<Bool>.flag("--fast", help: "a flag")
        let spec = CommandSpec(name: "tool", summary: "", options: [runs.spec, sizes.spec, rate.spec, blend.spec, files.spec, kind.spec, flag.spec])
        let given = try spec.parse(["--runs", "3", "--sizes", "4,5", "--rate", "1e-3", "--blend", "0.5,2", "--files", "a,b", "--kind", "avg", "--fast"])
        XCTAssertEqual(try runs.read(given), 3)
        XCTAssertEqual(try sizes.read(given), [4, 5])
        XCTAssertEqual(try rate.read(given), 1e-3)
        XCTAssertEqual(try blend.read(given), [0.5, 2])
        XCTAssertEqual(try files.read(given), ["a", "b"])
        XCTAssertEqual(try kind.read(given), .avg)
        XCTAssertTrue(try flag.read(given))
        let absent = try spec.parse([])
        XCTAssertEqual(try runs.read(absent), 5)
        XCTAssertEqual(try sizes.read(absent), [2])
        XCTAssertEqual(try rate.read(absent), 0.5)
        XCTAssertNil(try blend.read(absent))
        XCTAssertNil(try files.read(absent))
        XCTAssertEqual(try kind.read(absent), .max)
        XCTAssertFalse(try flag.read(absent))
        XCTAssertEqual(runs.spec.help, "how often, 1 to 9 (default 5)")
        XCTAssertEqual(rate.spec.help, "a rate (default 0.5)")
        XCTAssertEqual(kind.spec.valueName, "max|avg")
        for (option, bad, expected) in [(runs.name, "many", "a whole number from 1 to 9"), (runs.name, "10", "a whole number from 1 to 9"),
                                        (sizes.name, "4,,5", "whole numbers from 1 to 9, separated by commas"),
                                        (rate.name, "nan", "a number from 0.0 to 1.0"), (rate.name, "inf", "a number from 0.0 to 1.0"),
                                        (rate.name, "-0.1", "a number from 0.0 to 1.0"), (rate.name, "1,2", "a number from 0.0 to 1.0"),
                                        (blend.name, "1,,2", "numbers from 0.0 to 9.0, separated by commas"),
                                        (files.name, "a,", "file names separated by commas"), (kind.name, "min", "max or avg")] {
            let arguments = try spec.parse([option, bad])
            let error: Error? = {
                do {
                    switch option {
                    case runs.name: _ = try runs.read(arguments)
                    case sizes.name: _ = try sizes.read(arguments)
                    case rate.name: _ = try rate.read(arguments)
                    case blend.name: _ = try blend.read(arguments)
                    case files.name: _ = try files.read(arguments)
                    default: _ = try kind.read(arguments)
                    }
                    return nil
                } catch { return error }
            }()
            XCTAssertEqual(error as? ArgumentError, .badValue(option: option, value: bad, expected: expected), "\(option) \(bad)")
            XCTAssertEqual((error as? ArgumentError)?.exitStatus, 1)
        }
    }

    /// A last positional named "NAME..." takes any number of arguments, at least one.
    func testVariadicPositional() throws {
        let files = CommandSpec(name: "sheet", summary: "", positionals: [("FILE...", "pictures")])
        XCTAssertEqual(try files.parse(["a", "b", "c"]).positionals, ["a", "b", "c"])
        XCTAssertThrowsError(try files.parse([])) { XCTAssertEqual($0 as? ArgumentError, .missingArgument("FILE...")) }
    }

    enum PoolingChoice: String, CaseIterable { case max, avg }

    func testHelpListsEveryArgumentAndOption() {
        let help = spec.help
        XCTAssertTrue(help.hasPrefix("usage: tool [options] IN OUT"))
        for word in ["Does a thing.", "IN", "OUT", "--output DIR", "--runs N", "--layers", "--help"] {
            XCTAssertTrue(help.contains(word), word)
        }
    }

    /// `--preview [PORT]`: alone (the system chooses: 0), with a port, with `=`, before another
    /// option; a bad port named; the help shows the value as optional.
    func testAnOptionalValue() throws {
        let preview = Option<Int?>.port("--preview", help: "watch it")
        let tool = CommandSpec(name: "tool", summary: "", options: [preview.spec, OptionSpec("--runs", value: "N", help: "")])
        XCTAssertEqual(try preview.read(tool.parse([])), nil)
        XCTAssertEqual(try preview.read(tool.parse(["--preview"])), 0)
        XCTAssertEqual(try preview.read(tool.parse(["--preview", "--runs", "3"])), 0)
        XCTAssertEqual(try tool.parse(["--preview", "--runs", "3"]).value("--runs"), "3")
        XCTAssertEqual(try preview.read(tool.parse(["--preview", "8080"])), 8080)
        XCTAssertEqual(try preview.read(tool.parse(["--preview=9000"])), 9000)
        XCTAssertThrowsError(try preview.read(tool.parse(["--preview", "web"]))) {
            XCTAssertEqual("\($0)", "--preview web: expected a port, 1 to 65535")
        }
        XCTAssertThrowsError(try preview.read(tool.parse(["--preview", "70000"])))
        XCTAssertTrue(tool.help.contains("--preview [PORT]"), tool.help)
    }
}
