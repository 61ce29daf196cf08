import KoHybridAnalysis

/// BM25 parameters (Robertson & Zaragoza 2009): term-frequency saturation `k1`, length
/// normalization `b`, and the fields, each with its own length statistics and weight; a
/// document's score is the weighted sum of its per-field BM25 scores (§3.6, the per-field sum
/// that Elasticsearch's `most_fields` also computes).
///
/// ```swift
/// var parameters = BM25Parameters()              // words 1.0, bigrams 0.75, from the document
/// parameters.k1 = 1.5
/// parameters.fields += [BM25Field("title.word", part: "title", terms: .word, weight: 2),
///                       BM25Field("title.bigram", part: "title", terms: .bigram, weight: 1.5)]
/// ```
public struct BM25Parameters: Sendable, Hashable {
    public var k1: Float = 1.2
    public var b: Float = 0.75
    /// The fields, in index order (1 to ``maximumFieldCount``, names unique).
    public var fields: [BM25Field] = BM25Parameters.defaultFields

    /// Words 1.0 and bigrams 0.75, both from the document text; the weights were chosen by the
    /// ablation in Evaluation/bm25/README.md.
    public static let defaultFields = [BM25Field("word", terms: .word, weight: 1.0),
                                       BM25Field("bigram", terms: .bigram, weight: 0.75)]
    /// Field numbers are one byte in the index file.
    public static let maximumFieldCount = 255

    public init(k1: Float = 1.2, b: Float = 0.75, fields: [BM25Field] = BM25Parameters.defaultFields) {
        self.k1 = k1; self.b = b; self.fields = fields
    }

    /// The default fields with these weights.
    public init(k1: Float = 1.2, b: Float = 0.75, fieldWeights: FieldWeights) {
        self.init(k1: k1, b: b)
        self.fieldWeights = fieldWeights
    }

    /// The distinct parts the fields read, in field order (`["document"]` by default).
    public var parts: [String] {
        var seen = Set<String>()
        return fields.map(\.part).filter { seen.insert($0).inserted }
    }

    /// Why these parameters cannot build an index, or nil when they can.
    public var problem: String? {
        guard k1.isFinite, k1 >= 0, b.isFinite, (0...1).contains(b) else { return "BM25 needs k1 >= 0 and 0 <= b <= 1, got k1 \(k1), b \(b)" }
        guard (1...Self.maximumFieldCount).contains(fields.count) else { return "BM25 needs 1 to \(Self.maximumFieldCount) fields, got \(fields.count)" }
        var names = Set<String>()
        for field in fields {
            guard !field.name.isEmpty, !field.part.isEmpty else { return "a BM25 field needs a name and a part" }
            guard names.insert(field.name).inserted else { return "two BM25 fields are named \"\(field.name)\"" }
            guard field.weight.isFinite, field.weight >= 0 else { return "BM25 field \"\(field.name)\" has weight \(field.weight); weights are finite and >= 0" }
        }
        return nil
    }

    /// The weight of each analyzer stream: what the two-field parameters were. Reading gives the
    /// first field of each stream's weight (0 for a stream no field indexes); writing sets every
    /// field of the stream.
    public var fieldWeights: FieldWeights {
        get {
            FieldWeights(word: fields.first { $0.terms == .word }?.weight ?? 0,
                         bigram: fields.first { $0.terms == .bigram }?.weight ?? 0)
        }
        set {
            for i in fields.indices { fields[i].weight = newValue[fields[i].terms] }
        }
    }

    /// One weight per `TermField`, subscriptable by field.
    public struct FieldWeights: Sendable, Hashable, Codable {
        public var word: Float
        public var bigram: Float

        public init(word: Float = 1.0, bigram: Float = 0.75) { self.word = word; self.bigram = bigram }

        public subscript(field: TermField) -> Float {
            get { field == .word ? word : bigram }
            set { if field == .word { word = newValue } else { bigram = newValue } }
        }
    }
}

/// One BM25 field: the terms of one analyzer stream (words or bigrams) from one part of a
/// record, with the weight of its score. Each field keeps its own document lengths and
/// document frequencies, so a short title is normalized against titles, not bodies.
///
/// A query term of a stream is looked up in every field of that stream.
public struct BM25Field: Sendable, Hashable {
    /// Unique among the fields: `word`, `bigram`, `title.word`.
    public var name: String
    /// Where the field's text comes from: ``documentPart`` (the record's document), or a
    /// metadata key whose string value (or string list, one line per element) is analysed.
    public var part: String
    /// Which analyzer terms the field indexes.
    public var terms: TermField
    public var weight: Float

    /// The record's document text.
    public static let documentPart = "document"

    public init(_ name: String, part: String = BM25Field.documentPart, terms: TermField, weight: Float) {
        self.name = name; self.part = part; self.terms = terms; self.weight = weight
    }
}

extension BM25Field: Codable {
    private enum CodingKeys: String, CodingKey { case name, part, terms, weight }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let terms = try container.decode(String.self, forKey: .terms)
        guard let stream = TermField(name: terms) else {
            throw DecodingError.dataCorruptedError(forKey: .terms, in: container,
                                                   debugDescription: "unknown term stream \"\(terms)\" (word or bigram)")
        }
        self.init(try container.decode(String.self, forKey: .name), part: try container.decode(String.self, forKey: .part),
                  terms: stream, weight: try container.decode(Float.self, forKey: .weight))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(part, forKey: .part)
        try container.encode(terms.name, forKey: .terms)
        try container.encode(weight, forKey: .weight)
    }
}

extension BM25Parameters: Codable {
    private enum CodingKeys: String, CodingKey { case k1, b, fields, fieldWeights }

    /// Reads both forms: `fields`, and the two-field `fieldWeights` that stores wrote before
    /// fields were a list (the default fields with those weights).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(k1: try container.decode(Float.self, forKey: .k1), b: try container.decode(Float.self, forKey: .b))
        if let fields = try container.decodeIfPresent([BM25Field].self, forKey: .fields) {
            self.fields = fields
        } else {
            fieldWeights = try container.decode(FieldWeights.self, forKey: .fieldWeights)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(k1, forKey: .k1)
        try container.encode(b, forKey: .b)
        try container.encode(fields, forKey: .fields)
    }
}
