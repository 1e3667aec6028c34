import Foundation

// The one argument convention of every program here (docs/DESIGN.md, section 7):
//
//  - `--help` prints what the program does and each option in a line, and exits with status 0;
//  - an unknown option, a missing value or a stray argument is named in one line on standard
//    error, with exit status 2;
//  - a value that is not usable (a number that is not one, a folder that is a file) is named in
//    one line, with exit status 1 (the program checks those, with `ArgumentError.badValue`).
//
// Options are `--name VALUE` (or `--name=VALUE`) and flags `--name`; positional arguments come
// in a fixed number, in order. A program describes itself once, as a `CommandSpec` whose options
// are each declared once as an `Option` (Option.swift: name, default, range, help); the parser,
// the help text, the values and the tests all read that description.

/// One option or flag of a program.
public struct OptionSpec: Sendable {
    /// The name with its dashes, as typed: "--output".
    public var name: String
    /// The value's placeholder in the help ("DIR"), or nil for a flag that takes no value.
    public var valueName: String?
    /// Whether the value may be left out (`--preview` or `--preview 8080`): then the next
    /// argument is its value unless it starts with a dash, and an option given alone has the
    /// value "".
    public var valueIsOptional = false
    public var help: String

    public init(_ name: String, value valueName: String? = nil, help: String) {
        precondition(name.hasPrefix("--") && name.count > 2, "options are spelled --name")
        self.name = name
        self.valueName = valueName
        self.help = help
    }
}

/// What a program is called, what it does, and what it accepts.
public struct CommandSpec: Sendable {
    public var name: String
    public var summary: String
    public var options: [OptionSpec]
    /// Positional arguments, in order, each required: (placeholder, help).
    public var positionals: [(name: String, help: String)]

    public init(name: String, summary: String, options: [OptionSpec] = [], positionals: [(name: String, help: String)] = []) {
        self.name = name
        self.summary = summary
        self.options = options
        self.positionals = positionals
    }

    /// The text `--help` prints: usage, summary, then one line per argument and option.
    public var help: String {
        var usage = "usage: \(name)"
        if !options.isEmpty { usage += " [options]" }
        for positional in positionals { usage += " \(positional.name)" }
        var lines = [usage, ""] + wrapped(summary, width: 90)
        var entries: [(String, String)] = positionals.map { ($0.name, $0.help) }
        for option in options {
            entries.append((option.valueName.map { option.valueIsOptional ? "\(option.name) [\($0)]" : "\(option.name) \($0)" } ?? option.name, option.help))
        }
        entries.append(("--help", "print this help and exit"))
        let width = entries.map(\.0.count).max() ?? 0
        lines.append("")
        for (left, right) in entries { lines.append("  " + left.padding(toLength: width + 2, withPad: " ", startingAt: 0) + right) }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// `text` broken into lines of at most `width` characters, at spaces.
func wrapped(_ text: String, width: Int) -> [String] {
    var lines: [String] = [], line = ""
    for word in text.split(separator: " ") {
        if !line.isEmpty && line.count + 1 + word.count > width {
            lines.append(line)
            line = ""
        }
        line += (line.isEmpty ? "" : " ") + word
    }
    if !line.isEmpty { lines.append(line) }
    return lines
}

/// Why an argument list was refused. `exitStatus` is 2 for a malformed list, 1 for a bad value.
public enum ArgumentError: Error, Equatable, CustomStringConvertible {
    case unknownOption(String)
    case missingValue(option: String)
    case unexpectedValue(option: String)
    case strayArgument(String)
    case missingArgument(String)
    case repeatedOption(String)
    case badValue(option: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .unknownOption(let name): return "unknown option \(name)"
        case .missingValue(let option): return "\(option) needs a value"
        case .unexpectedValue(let option): return "\(option) takes no value"
        case .strayArgument(let argument): return "unexpected argument \(argument)"
        case .missingArgument(let name): return "missing \(name)"
        case .repeatedOption(let name): return "\(name) given twice"
        case .badValue(let option, let value, let expected): return "\(option) \(value): expected \(expected)"
        }
    }

    public var exitStatus: Int32 {
        if case .badValue = self { return 1 }
        return 2
    }
}

/// What `CommandSpec.parse` found.
public struct ParsedArguments: Equatable, Sendable {
    /// True when `--help` was given: the program should print `spec.help` and stop.
    public var helpRequested = false
    public var values: [String: String] = [:]
    public var flags: Set<String> = []
    public var positionals: [String] = []

    public func value(_ option: String) -> String? { values[option] }
    public func isSet(_ flag: String) -> Bool { flags.contains(flag) }
}

extension CommandSpec {
    /// Reads an argument list (without the program's own name).
    public func parse(_ arguments: [String]) throws -> ParsedArguments {
        var parsed = ParsedArguments()
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if !onlyPositionals && argument == "--" { onlyPositionals = true; continue }
            if !onlyPositionals && argument.hasPrefix("-") && argument != "-" {
                if argument == "--help" || argument == "-h" {
                    parsed.helpRequested = true
                    continue
                }
                let (name, inlineValue) = split(argument)
                guard let option = options.first(where: { $0.name == name }) else { throw ArgumentError.unknownOption(name) }
                if option.valueName == nil {
                    if inlineValue != nil { throw ArgumentError.unexpectedValue(option: name) }
                    if parsed.flags.contains(name) { throw ArgumentError.repeatedOption(name) }
                    parsed.flags.insert(name)
                    continue
                }
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else if option.valueIsOptional && (index == arguments.count || arguments[index].hasPrefix("-")) {
                    value = ""
                } else {
                    guard index < arguments.count else { throw ArgumentError.missingValue(option: name) }
                    value = arguments[index]
                    index += 1
                }
                if parsed.values[name] != nil { throw ArgumentError.repeatedOption(name) }
                parsed.values[name] = value
                continue
            }
            // A last positional whose name ends in "..." takes any number of arguments.
            let variadic = positionals.last?.name.hasSuffix("...") == true
            guard parsed.positionals.count < positionals.count || variadic else { throw ArgumentError.strayArgument(argument) }
            parsed.positionals.append(argument)
        }
        if !parsed.helpRequested && parsed.positionals.count < positionals.count {
            throw ArgumentError.missingArgument(positionals[parsed.positionals.count].name)
        }
        return parsed
    }

    /// "--name=value" as ("--name", "value"); anything else as (argument, nil).
    private func split(_ argument: String) -> (String, String?) {
        guard let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    /// Parses this process's arguments. `--help` prints the help and exits with 0; a refused
    /// list prints one line and exits with 2.
    public func parseCommandLine() -> ParsedArguments {
        // Whole lines as they are printed, even into a pipe or a log file, so that they keep
        // their order with the progress lines on standard error.
        setvbuf(stdout, nil, _IOLBF, 0)
        do {
            let parsed = try parse(Array(CommandLine.arguments.dropFirst()))
            if parsed.helpRequested {
                print(help, terminator: "")
                exit(0)
            }
            return parsed
        } catch let error as ArgumentError {
            fail(error)
        } catch {
            fail("\(error)", status: 2)
        }
    }

    /// The value `body` reads from the arguments; an `ArgumentError` it throws (a bad value)
    /// ends the program by the convention above.
    public func check<T>(_ body: () throws -> T) -> T {
        do {
            return try body()
        } catch let error as ArgumentError {
            fail(error)
        } catch {
            fail("\(error)")
        }
    }

    /// Prints "name: error" (and, for a malformed list, where to find help) and exits.
    public func fail(_ error: ArgumentError) -> Never {
        fail(error.description + (error.exitStatus == 2 ? " (see \(name) --help)" : ""), status: error.exitStatus)
    }

    /// Fails with `error`: an `ArgumentError` as above (exit status 2 for a malformed list),
    /// any other error as its one-line description (exit status 1).
    public func fail(_ error: Error) -> Never {
        if let error = error as? ArgumentError { fail(error) }
        fail("\(error)")
    }

    /// Prints "name: message" on standard error and exits with `status`.
    public func fail(_ message: String, status: Int32 = 1) -> Never { exitWithMessage(program: name, message, status: status) }
}

/// Prints "program: message" on standard error and exits with `status`: how every program here
/// ends on bad input.
public func exitWithMessage(program: String, _ message: String, status: Int32 = 1) -> Never {
    FileHandle.standardError.write("\(program): \(message)\n".data(using: .utf8)!)
    exit(status)
}

/// A `FILE=LABEL` argument (contact-sheet, loss-chart) split in two; without `=LABEL`, the
/// label is the file's name without its extension.
public func fileAndLabel(_ argument: String) -> (path: String, label: String) {
    let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
    guard parts.count > 1 else { return (argument, URL(fileURLWithPath: argument).deletingPathExtension().lastPathComponent) }
    return (parts[0], parts[1])
}
