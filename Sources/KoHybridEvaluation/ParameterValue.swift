/// A search parameter as reported beside a mode, e.g. `k: 60`, `weights: [1, 1]`,
/// `analyzer: "default"`.
public enum ParameterValue: Sendable, Hashable, CustomStringConvertible {
    case number(Double)
    case numbers([Double])
    case text(String)

    /// The value as JSONSerialization takes it.
    public var jsonValue: Any {
        switch self {
        case let .number(value): value
        case let .numbers(values): values
        case let .text(value): value
        }
    }

    public var description: String {
        switch self {
        case let .number(value): ParameterValue.format(value)
        case let .numbers(values): "[" + values.map(ParameterValue.format).joined(separator: ",") + "]"
        case let .text(value): value
        }
    }

    /// `60` rather than `60.0`; `0.3` as it is.
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }
}

extension Dictionary where Key == String, Value == ParameterValue {
    /// `k=60 weights=[1,1]`, keys sorted: how parameters read in tables.
    public var summary: String {
        sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }
}
