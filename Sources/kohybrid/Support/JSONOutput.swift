import Foundation
import KoHybrid

/// A value a command prints with `--json`. Every command's output goes through one encoder,
/// `JSONValue.jsonText`: one line, keys sorted, snake_case keys, integers printed as integers and
/// floats always with a decimal point or exponent (`4` and `4.0` stay apart).
protocol JSONConvertible {
    var json: JSONValue { get }
}

extension JSONValue: JSONConvertible {
    var json: JSONValue { self }
}

extension Int: JSONConvertible {
    var json: JSONValue { .int(Int64(self)) }
}

extension Int64: JSONConvertible {
    var json: JSONValue { .int(self) }
}

extension Double: JSONConvertible {
    var json: JSONValue { .double(self) }
}

extension String: JSONConvertible {
    var json: JSONValue { .string(self) }
}

extension Bool: JSONConvertible {
    var json: JSONValue { .bool(self) }
}

extension Optional: JSONConvertible where Wrapped: JSONConvertible {
    var json: JSONValue { map(\.json) ?? .null }
}

extension Array: JSONConvertible where Element: JSONConvertible {
    var json: JSONValue { .array(map(\.json)) }
}

extension Dictionary: JSONConvertible where Key == String, Value: JSONConvertible {
    var json: JSONValue { .object(mapValues(\.json)) }
}

extension StoreStats: JSONConvertible {}

extension JSONValue {
    /// An object from a literal of mixed values: `.fields(["records": 3, "seconds": 0.5])`.
    static func fields(_ members: [String: any JSONConvertible]) -> JSONValue {
        .object(members.mapValues(\.json))
    }

    /// A value built by a library as `[String: Any]` (what `JSONSerialization` takes), read into
    /// the one encoder's form. Only JSON's own kinds appear there.
    init(bridging value: Any) {
        switch value {
        case let value as JSONValue: self = value
        case is NSNull: self = .null
        case let value as Bool where type(of: value) == Bool.self: self = .bool(value)
        case let value as Int: self = .int(Int64(value))
        case let value as Int64: self = .int(value)
        case let value as Double: self = .double(value)
        case let value as Float: self = .double(Double(value))
        case let value as String: self = .string(value)
        case let value as [Any]: self = .array(value.map(JSONValue.init(bridging:)))
        case let value as [String: Any]: self = .object(value.mapValues(JSONValue.init(bridging:)))
        default: self = .string(String(describing: value))
        }
    }
}

/// A rate or count rounded to a whole number, printed as an integer (`5468`, not `5468.0`);
/// a non-finite one stays a double (printed as null).
func wholeNumber(_ value: Double) -> any JSONConvertible {
    let rounded = value.rounded()
    return rounded.isFinite && abs(rounded) < 1e15 ? Int(rounded) : rounded
}

/// Seconds as a command reports them: rounded to milliseconds.
func roundedSeconds(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }

extension JSONValue {
    /// The value as a `key: value` line shows it: strings bare, everything else as JSON.
    var plainText: String {
        if case .string(let text) = self { return text }
        return jsonText
    }
}
