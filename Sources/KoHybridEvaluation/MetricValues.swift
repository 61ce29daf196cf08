/// The value of every `Metric` for one query (or their mean over queries).
public struct MetricValues: Sendable, Equatable {
    public private(set) var values: [Double]

    public init() { values = Array(repeating: 0, count: Metric.allCases.count) }

    public subscript(metric: Metric) -> Double {
        get { values[Metric.allCases.firstIndex(of: metric) ?? 0] }
        set { values[Metric.allCases.firstIndex(of: metric) ?? 0] = newValue }
    }

    /// The arithmetic mean of each measure over `rows` (all zero when there are none).
    public static func mean<S: Sequence>(_ rows: S) -> MetricValues where S.Element == MetricValues {
        var sum = MetricValues()
        var count = 0
        for row in rows {
            for i in sum.values.indices { sum.values[i] += row.values[i] }
            count += 1
        }
        if count > 0 { for i in sum.values.indices { sum.values[i] /= Double(count) } }
        return sum
    }
}
