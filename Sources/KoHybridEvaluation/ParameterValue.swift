/// A search parameter as reported beside a mode, e.g. `k: 60`, `weights: [1, 1]`,
/// `analyzer: "default"`.
public enum ParameterValue: Sendable, Hashable, CustomStringConvertible {
    case number(Double)
    case numbers([Double])
    case text(String)

    public var description: String {
        switch self {
        case let .number(value): ParameterValue.format(value)
        case let .numbers(values): "[" + values.map(ParameterValue.format).joined(separator: ",") + "]"
        case let .text(value): value
        }
    }

    /// `+0.0123` / `-0.0040`: a difference with four decimals and its sign.
    static func signed(_ value: Double) -> String { (value >= 0 ? "+" : "-") + fixed(abs(value), 4) }

    /// `value` with `digits` decimals, without Foundation's String(format:).
    static func fixed(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int((abs(value) * scale).rounded())
        let whole = String(scaled / Int(scale)), part = String(scaled % Int(scale))
        return (value < 0 && scaled != 0 ? "-" : "") + whole + "." + String(repeating: "0", count: digits - part.count) + part
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
