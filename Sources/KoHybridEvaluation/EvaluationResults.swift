import Foundation

/// The JSON form of an ``EvaluationReport`` (`kohybrid eval --json`, `results.json`), typed and
/// `Codable` both ways, so scripts and tests read the same fields the tool writes:
///
/// ```json
/// {"corpus": "shops", "queries": 435, "baseline": "dense",
///  "modes": [{"mode": "dense", "params": {}, "recall@10": 0.81, ..., "default": true}],
///  "tests": [{"mode", "baseline", "metric", "difference", "p", "method", "trials"}],
///  "sweeps": [{"sweep", "mode", "points": [{"label", "params", "recall@10", ...}]}],
///  "recommendation": {"sweep", "label", "mode", "params", "fusion", "default", "significant_gain", "tests"}}
/// ```
/// Metric keys are ``Metric/name``s; numbers carry six decimals.
///
/// ```swift
/// let results = try JSONDecoder().decode(EvaluationResults.self, from: Data(contentsOf: folder.appendingPathComponent("results.json")))
/// print(results.modes.first { $0.isDefault }?.metrics[.mrr10] ?? 0)
/// ```
public struct EvaluationResults: Codable, Sendable, Hashable {
    public var corpus: String
    /// Queries evaluated (those with at least one relevant document).
    public var queries: Int
    /// The mode every other is tested against.
    public var baseline: String
    public var modes: [Mode]
    public var tests: [Test]
    public var sweeps: [Sweep]
    public var recommendation: Recommendation?

    public init(corpus: String, queries: Int, baseline: String, modes: [Mode], tests: [Test], sweeps: [Sweep],
                recommendation: Recommendation? = nil) {
        self.corpus = corpus; self.queries = queries; self.baseline = baseline
        self.modes = modes; self.tests = tests; self.sweeps = sweeps; self.recommendation = recommendation
    }

    /// One mode's mean measures.
    public struct Mode: Codable, Sendable, Hashable {
        public var mode: String
        public var params: [String: ParameterValue]
        public var metrics: [Metric: Double]
        /// The mode `kohybrid search` uses when no mode is given (written only when true).
        public var isDefault: Bool

        public init(mode: String, params: [String: ParameterValue], metrics: [Metric: Double], isDefault: Bool = false) {
            self.mode = mode; self.params = params; self.metrics = metrics; self.isDefault = isDefault
        }

        public init(from decoder: any Decoder) throws {
            let keys = try decoder.container(keyedBy: FieldKey.self)
            mode = try keys.decode(String.self, forKey: "mode")
            params = try keys.decode([String: ParameterValue].self, forKey: "params")
            metrics = try FieldKey.decodeMetrics(keys)
            isDefault = try keys.decodeIfPresent(Bool.self, forKey: "default") ?? false
        }

        public func encode(to encoder: any Encoder) throws {
            var keys = encoder.container(keyedBy: FieldKey.self)
            try keys.encode(mode, forKey: "mode")
            try keys.encode(params, forKey: "params")
            try FieldKey.encode(metrics, into: &keys)
            if isDefault { try keys.encode(true, forKey: "default") }
        }
    }

    /// A paired test of one mode against the baseline on one measure.
    public struct Test: Codable, Sendable, Hashable {
        public var mode: String
        public var baseline: String
        public var metric: Metric
        public var difference: Double
        public var p: Double
        public var method: String
        public var trials: Int

        public init(mode: String, baseline: String, metric: Metric, difference: Double, p: Double, method: String, trials: Int) {
            self.mode = mode; self.baseline = baseline; self.metric = metric
            self.difference = difference; self.p = p; self.method = method; self.trials = trials
        }
    }

    /// One sweep and its measured points.
    public struct Sweep: Codable, Sendable, Hashable {
        public var sweep: String
        public var mode: String
        public var points: [Point]

        public init(sweep: String, mode: String, points: [Point]) {
            self.sweep = sweep; self.mode = mode; self.points = points
        }

        public struct Point: Codable, Sendable, Hashable {
            public var label: String
            public var params: [String: ParameterValue]
            public var metrics: [Metric: Double]

            public init(label: String, params: [String: ParameterValue], metrics: [Metric: Double]) {
                self.label = label; self.params = params; self.metrics = metrics
            }

            public init(from decoder: any Decoder) throws {
                let keys = try decoder.container(keyedBy: FieldKey.self)
                label = try keys.decode(String.self, forKey: "label")
                params = try keys.decode([String: ParameterValue].self, forKey: "params")
                metrics = try FieldKey.decodeMetrics(keys)
            }

            public func encode(to encoder: any Encoder) throws {
                var keys = encoder.container(keyedBy: FieldKey.self)
                try keys.encode(label, forKey: "label")
                try keys.encode(params, forKey: "params")
                try FieldKey.encode(metrics, into: &keys)
            }
        }
    }

    /// The best fixed setting the fusion sweeps found, against the default.
    public struct Recommendation: Codable, Sendable, Hashable {
        public var sweep: String
        public var label: String
        public var mode: String
        public var params: [String: ParameterValue]
        /// The fusion to pin, as ``KoHybridFusion/Fusion`` describes itself.
        public var fusion: String
        /// The default mode it is compared with.
        public var defaultMode: String
        public var isSignificantGain: Bool
        public var tests: [Difference]

        public init(sweep: String, label: String, mode: String, params: [String: ParameterValue], fusion: String,
                    defaultMode: String, isSignificantGain: Bool, tests: [Difference]) {
            self.sweep = sweep; self.label = label; self.mode = mode; self.params = params; self.fusion = fusion
            self.defaultMode = defaultMode; self.isSignificantGain = isSignificantGain; self.tests = tests
        }

        enum CodingKeys: String, CodingKey {
            case sweep, label, mode, params, fusion, tests
            case defaultMode = "default", isSignificantGain = "significant_gain"
        }

        /// The recommended point against the default on one measure.
        public struct Difference: Codable, Sendable, Hashable {
            public var metric: Metric
            public var difference: Double
            public var p: Double

            public init(metric: Metric, difference: Double, p: Double) {
                self.metric = metric; self.difference = difference; self.p = p
            }
        }
    }
}

extension Metric: Codable {
    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let metric = Metric(rawValue: name) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown metric \"\(name)\""))
        }
        self = metric
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}

extension ParameterValue: Codable {
    /// A number, a list of numbers or a string, as JSON has them.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let numbers = try? container.decode([Double].self) {
            self = .numbers(numbers)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .number(value): try container.encode(value)
        case let .numbers(values): try container.encode(values)
        case let .text(value): try container.encode(value)
        }
    }
}

/// A JSON object key; the metric columns of a mode or sweep point sit beside its fixed fields.
struct FieldKey: CodingKey, ExpressibleByStringLiteral {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
    init(stringLiteral value: String) { stringValue = value }

    static func decodeMetrics(_ keys: KeyedDecodingContainer<FieldKey>) throws -> [Metric: Double] {
        var metrics: [Metric: Double] = [:]
        for metric in Metric.allCases {
            if let value = try keys.decodeIfPresent(Double.self, forKey: FieldKey(stringValue: metric.name)) {
                metrics[metric] = value
            }
        }
        return metrics
    }

    static func encode(_ metrics: [Metric: Double], into keys: inout KeyedEncodingContainer<FieldKey>) throws {
        for (metric, value) in metrics { try keys.encode(value, forKey: FieldKey(stringValue: metric.name)) }
    }
}

extension EvaluationReport {
    /// This report in its JSON form (measures rounded to six decimals).
    public var results: EvaluationResults {
        func metrics(_ values: MetricValues) -> [Metric: Double] {
            Dictionary(uniqueKeysWithValues: Metric.allCases.map { ($0, Self.rounded(values[$0])) })
        }
        return EvaluationResults(
            corpus: corpus, queries: queryCount, baseline: baseline,
            modes: modes.map { .init(mode: $0.mode, params: $0.params, metrics: metrics($0.mean), isDefault: $0.isDefault) },
            tests: tests.map {
                .init(mode: $0.mode, baseline: $0.baseline, metric: $0.metric, difference: Self.rounded($0.difference),
                      p: Self.rounded($0.pValue), method: $0.method, trials: $0.trials)
            },
            sweeps: sweeps.map { sweep in
                .init(sweep: sweep.name, mode: sweep.mode, points: sweep.points.map {
                    .init(label: $0.label, params: $0.params, metrics: metrics($0.mean))
                })
            },
            recommendation: recommendation.map { advice in
                .init(sweep: advice.sweep, label: advice.label, mode: advice.mode, params: advice.params,
                      fusion: advice.fusion.description, defaultMode: advice.defaultMode,
                      isSignificantGain: advice.isSignificantGain,
                      tests: advice.tests.map { .init(metric: $0.metric, difference: Self.rounded($0.difference), p: Self.rounded($0.pValue)) })
            })
    }

    /// ``results`` as JSON text: keys sorted, slashes unescaped; `pretty` for `results.json`.
    public func resultsJSON(pretty: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(results)
    }
}
