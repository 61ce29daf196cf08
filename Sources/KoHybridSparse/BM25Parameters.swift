import KoHybridAnalysis

/// BM25 parameters (Robertson & Zaragoza 2009): term-frequency saturation `k1`, length
/// normalization `b`, and one weight per term field; a document's score is the weighted sum of its
/// per-field BM25 scores.
///
/// ```swift
/// var parameters = BM25Parameters()
/// parameters.k1 = 1.5
/// parameters.fieldWeights[.bigram] = 0.5
/// ```
public struct BM25Parameters: Sendable, Hashable, Codable {
    public var k1: Float = 1.2
    public var b: Float = 0.75
    /// Weight of each field's score. Words 1.0; bigrams 0.75, chosen by the ablation in
    /// Evaluation/bm25/README.md.
    public var fieldWeights: FieldWeights = FieldWeights()

    public init(k1: Float = 1.2, b: Float = 0.75, fieldWeights: FieldWeights = FieldWeights()) {
        self.k1 = k1; self.b = b; self.fieldWeights = fieldWeights
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
