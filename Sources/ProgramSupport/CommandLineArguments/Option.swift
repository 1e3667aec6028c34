// An option declared once: its name, the placeholder of its value, its help, its default and the
// values it allows. The parser and `--help` read its `spec`; the program reads its value with
// `read`, which gives the default when the option is absent and names the option, the value
// and what was expected when the value is not allowed (exit status 1). The help line says the
// allowed range and the default, from the same numbers the parser checks.

/// One option of a program, with the type of its value.
public struct Option<Value> {
    /// What the parser and `--help` see.
    public var spec: OptionSpec
    /// The value when the option is not given.
    public let defaultValue: Value
    /// The value from its text, or `ArgumentError.badValue`.
    let parse: (String) throws -> Value

    public var name: String { spec.name }

    /// An option whose text `parse` reads (throwing `ArgumentError.badValue` for a value it refuses).
    public init(_ name: String, value placeholder: String, default defaultValue: Value, help: String,
                parse: @escaping (String) throws -> Value) {
        spec = OptionSpec(name, value: placeholder, help: help)
        self.defaultValue = defaultValue
        self.parse = parse
    }

    init(flag name: String, help: String, default defaultValue: Value, parse: @escaping (String) throws -> Value) {
        spec = OptionSpec(name, help: help)
        self.defaultValue = defaultValue
        self.parse = parse
    }

    /// The option's value in `arguments`: its default when absent.
    public func read(_ arguments: ParsedArguments) throws -> Value {
        if spec.valueName == nil { return try parse(arguments.isSet(name) ? "set" : "") }
        guard let text = arguments.value(name) else { return defaultValue }
        return try parse(text)
    }

    /// Whether the command line gave this option.
    public func isGiven(_ arguments: ParsedArguments) -> Bool { arguments.value(name) != nil || arguments.isSet(name) }

    /// The refusal of `text` for this option.
    public func bad(_ text: String, expected: String) -> ArgumentError { .badValue(option: name, value: text, expected: expected) }
}

/// "help, 1 to 10 (default 3)": the help line of an option with a range and a default.
func described(_ help: String, range: String?, default text: String?) -> String {
    var line = help
    if let range { line += ", " + range }
    if let text { line += " (default \(text))" }
    return line
}

extension Option where Value == Int {
    /// A whole number in `range`.
    public static func integer(_ name: String, value placeholder: String = "N", in range: ClosedRange<Int>, default value: Int,
                               help: String, defaultText: String? = nil) -> Option {
        Option(name, value: placeholder, default: value,
               help: described(help, range: "\(range.lowerBound) to \(range.upperBound)", default: defaultText ?? "\(value)")) { text in
            guard let n = Int(text), range.contains(n) else {
                throw ArgumentError.badValue(option: name, value: text, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return n
        }
    }
}

extension Option where Value == Int? {
    /// A whole number in `range`, or nil when not given (the program decides, as `defaultText` says).
    public static func integer(_ name: String, value placeholder: String = "N", in range: ClosedRange<Int>, help: String,
                               defaultText: String) -> Option {
        let whole = Option<Int>.integer(name, value: placeholder, in: range, default: 0, help: help, defaultText: defaultText)
        return Option(name, value: placeholder, default: nil, help: whole.spec.help) { try whole.parse($0) }
    }
}

extension Option where Value == Float {
    /// A finite number in `range` (written as Swift reads a Float: 5, 0.001, 1e-3).
    public static func number(_ name: String, value placeholder: String = "X", in range: ClosedRange<Float>, default value: Float,
                              help: String, showRange: Bool = false) -> Option {
        Option(name, value: placeholder, default: value,
               help: described(help, range: showRange ? "\(range.lowerBound) to \(range.upperBound)" : nil, default: shortest(value))) { text in
            guard let x = Float(text), x.isFinite, range.contains(x) else {
                throw ArgumentError.badValue(option: name, value: text, expected: "a number from \(range.lowerBound) to \(range.upperBound)")
            }
            return x
        }
    }
}

extension Option where Value == Float? {
    /// A finite number in `range`, or nil when not given.
    public static func number(_ name: String, value placeholder: String = "X", in range: ClosedRange<Float>, help: String,
                              defaultText: String) -> Option {
        let number = Option<Float>.number(name, value: placeholder, in: range, default: 0, help: help)
        return Option(name, value: placeholder, default: nil, help: described(help, range: nil, default: defaultText)) { try number.parse($0) }
    }
}

extension Option where Value == [Float]? {
    /// Finite numbers in `range`, separated by commas, or nil when not given.
    public static func numbers(_ name: String, value placeholder: String = "X[,X...]", in range: ClosedRange<Float>, help: String,
                               defaultText: String) -> Option {
        Option(name, value: placeholder, default: nil, help: described(help, range: nil, default: defaultText)) { text in
            let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Float($0) }
            guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0!.isFinite && range.contains($0!) }) else {
                throw ArgumentError.badValue(option: name, value: text,
                                             expected: "numbers from \(range.lowerBound) to \(range.upperBound), separated by commas")
            }
            return parts.map { $0! }
        }
    }
}

extension Option where Value == [Int] {
    /// Whole numbers in `range`, separated by commas.
    public static func integers(_ name: String, value placeholder: String = "N[,N...]", in range: ClosedRange<Int>, default value: [Int],
                                help: String, defaultText: String? = nil) -> Option {
        Option(name, value: placeholder, default: value,
               help: described(help, range: "\(range.lowerBound) to \(range.upperBound)",
                               default: defaultText ?? value.map(String.init).joined(separator: ","))) { text in
            let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
            guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && range.contains($0!) }) else {
                throw ArgumentError.badValue(option: name, value: text,
                                             expected: "whole numbers from \(range.lowerBound) to \(range.upperBound), separated by commas")
            }
            return parts.map { $0! }
        }
    }
}

extension Option where Value == String? {
    /// Any text (a file's name, usually), or nil when not given.
    public static func text(_ name: String, value placeholder: String = "FILE", help: String) -> Option {
        Option(name, value: placeholder, default: nil, help: help) { $0 }
    }
}

extension Option where Value == [String]? {
    /// Names separated by commas, none empty, or nil when not given.
    public static func list(_ name: String, value placeholder: String = "FILE[,FILE...]", help: String,
                            expected: String = "file names separated by commas") -> Option {
        Option(name, value: placeholder, default: nil, help: help) { text in
            let names = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard !names.contains("") else { throw ArgumentError.badValue(option: name, value: text, expected: expected) }
            return names
        }
    }
}

extension Option where Value == Int? {
    /// A port: nil when not given, 0 when given without a value (the system then chooses one),
    /// else the number given.
    public static func port(_ name: String, help: String) -> Option {
        var option = Option(name, value: "PORT", default: nil, help: help) { text in
            if text.isEmpty { return 0 }
            guard let n = Int(text), (1...65535).contains(n) else {
                throw ArgumentError.badValue(option: name, value: text, expected: "a port, 1 to 65535")
            }
            return n
        }
        option.spec.valueIsOptional = true
        return option
    }
}

extension Option where Value == Bool {
    /// A flag: true when given.
    public static func flag(_ name: String, help: String) -> Option {
        Option(flag: name, help: help, default: false) { $0 == "set" }
    }
}

extension Option where Value: RawRepresentable, Value.RawValue == String {
    /// One of `choices` (by their raw values), `value` when not given.
    public static func choice(_ name: String, _ choices: [Value], default value: Value, help: String,
                              defaultText: String?) -> Option {
        let names = choices.map(\.rawValue)
        return Option(name, value: names.joined(separator: "|"), default: value, help: described(help, range: nil, default: defaultText)) { text in
            guard let choice = choices.first(where: { $0.rawValue == text }) else {
                throw ArgumentError.badValue(option: name, value: text, expected: listed(names))
            }
            return choice
        }
    }
}

extension Option {
    /// One of `choices` (by their raw values), or nil when not given.
    public static func choice<T: RawRepresentable>(_ name: String, _ choices: [T], help: String) -> Option
        where T.RawValue == String, Value == T? {
        let names = choices.map(\.rawValue)
        return Option(name, value: names.joined(separator: "|"), default: nil, help: help) { text in
            guard let choice = choices.first(where: { $0.rawValue == text }) else {
                throw ArgumentError.badValue(option: name, value: text, expected: listed(names))
            }
            return choice
        }
    }
}

/// "a, b or c".
func listed(_ names: [String]) -> String {
    names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + names.last!
}

/// 5, 100, 0.001: a Float as people write it.
public func shortest(_ x: Float) -> String {
    x == x.rounded() && abs(x) < 1e7 ? String(Int(x)) : "\(x)"
}

extension Option where Value == String {
    /// Any text, `value` when not given.
    public static func text(_ name: String, value placeholder: String = "FILE", default value: String, help: String) -> Option {
        Option(name, value: placeholder, default: value, help: described(help, range: nil, default: value)) { $0 }
    }
}
