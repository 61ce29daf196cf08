/// The term field a term is indexed under. BM25 scores each field with its own statistics and
/// weight (Robertson & Zaragoza 2009, §3.6: field-weighted BM25).
public enum TermField: Int, Sendable, Codable, CaseIterable {
    /// Whole words: stems of Hangul words, Latin words, numbers, hanja.
    case word = 0
    /// Hangul character bigrams: a second, weaker field that matches inside compounds and
    /// inflected forms the word rules do not cover.
    case bigram = 1

    /// `word` or `bigram`, as configurations and JSON name the stream.
    public var name: String { self == .word ? "word" : "bigram" }

    public init?(name: String) {
        guard let field = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = field
    }
}

/// One indexed term: what BM25 matches on.
///
/// ```swift
/// let terms = Analyzer().analyze("서울에서 스시오마카세")
/// // [서울 (word, 0, 0..<12), 서울 (bigram, 0, ...), 스시오마카세 (word, 1), 스시 (word, 1), ...]
/// ```
public struct Term: Sendable, Hashable {
    /// The normalized term text.
    public var text: String
    public var field: TermField
    /// Ordinal of the source word among the text's words; bigrams share their word's position.
    public var position: Int
    /// UTF-8 byte offsets into the original text of the span this term came from.
    public var sourceRange: Range<Int>

    public init(text: String, field: TermField, position: Int, sourceRange: Range<Int>) {
        self.text = text; self.field = field; self.position = position; self.sourceRange = sourceRange
    }
}
