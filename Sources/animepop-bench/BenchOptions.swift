/// What a suite reports when its command line or input is unusable: one line, printed after the suite's name.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A suite's `--name value` options and `--flag` flags.
struct BenchOptions {
    let arguments: [String]
    init(_ arguments: [String]) { self.arguments = arguments }

    /// The value after `name`, if given.
    func string(_ name: String) -> String? {
        guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
        return arguments[index + 1]
    }

    /// An integer option, `fallback` when absent or unreadable.
    func int(_ name: String, _ fallback: Int) -> Int { string(name).flatMap(Int.init) ?? fallback }

    /// The first argument that is neither an option (`--name`) nor the value after one (for suites whose options
    /// all take a value, such as `decode FOLDER --limit N`).
    func firstOperand() -> String? {
        var index = 0
        while index < arguments.count {
            if !arguments[index].hasPrefix("--") { return arguments[index] }
            index += 2
        }
        return nil
    }

    /// Whether `name` is present.
    func flag(_ name: String) -> Bool { arguments.contains(name) }

    /// A number that must be positive: `fallback` when absent, an error naming the option when not a positive number.
    func positive<Value: Comparable & LosslessStringConvertible & Numeric>(_ name: String, _ fallback: Value) throws -> Value {
        guard let text = string(name) else { return fallback }
        guard let value = Value(text), value > .zero else { throw BenchError("\(name) \(text): expected a positive number") }
        return value
    }
}
