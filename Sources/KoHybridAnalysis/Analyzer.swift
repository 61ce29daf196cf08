/// Turns text into BM25 terms through a chain of small steps over ICU (see
/// `AnalyzerConfiguration` for the order): ICU word segmentation, script splitting, NFKC case
/// folding, a length filter, Korean particle and ending stripping, user-dictionary compound
/// splitting, stopwords, and Hangul bigrams in a second field.
///
/// ```swift
/// let analyzer = Analyzer()                      // .korean
/// for term in analyzer.analyze("서울에서 유명한 스시오마카세는?") {
///     print(term.field, term.text, term.position, term.sourceRange)
/// }
/// // word 서울, word 유명, word 스시오마카세, word 스시, word 오마카세, bigram 서울, bigram 울에, ...
/// ```
public struct Analyzer: Sendable {
    public let configuration: AnalyzerConfiguration
    /// `configuration.fingerprint`, computed once: what indexes built by this analyzer record.
    public let fingerprint: String
    private let segmenter: Segmenter
    private let stripper: SuffixStripper?
    private let splitter: CompoundSplitter?
    private let stopwords: StopwordFilter
    private let lengthFilter: LengthFilter

    public init(_ configuration: AnalyzerConfiguration = .korean) {
        self.configuration = configuration
        fingerprint = configuration.fingerprint
        segmenter = Segmenter(configuration.segmentation)
        var rules: [KoreanSuffix] = []
        if configuration.stripParticles { rules += KoreanSuffix.particles }
        if configuration.stripEndings { rules += KoreanSuffix.endings }
        stripper = rules.isEmpty ? nil : SuffixStripper(rules: rules, protected: configuration.dictionary?.nouns ?? [])
        splitter = configuration.dictionary.map { CompoundSplitter(dictionary: $0) }
        stopwords = StopwordFilter(words: configuration.stopwords)
        lengthFilter = LengthFilter(maximumLength: configuration.maximumTokenLength)
    }

    public init(preset: AnalyzerPreset) { self.init(preset.configuration) }

    /// The terms of `text`: word terms first (in text order), then bigram terms.
    public func analyze(_ text: String) -> [Term] {
        var tokens = segmenter.segment(text)
        if configuration.splitScripts { tokens = ScriptSplitter().split(tokens) }
        for i in tokens.indices { tokens[i].position = i }
        if configuration.normalize { tokens = Normalizer().normalize(tokens) }
        tokens = lengthFilter.filter(tokens)
        if let stripper { tokens = stripper.strip(tokens) }
        if let splitter { tokens = splitter.split(tokens) }
        tokens = stopwords.filter(tokens)

        var terms: [Term] = []
        terms.reserveCapacity(tokens.count * 3)
        for token in tokens where configuration.words || token.script != .hangul {
            terms.append(Term(text: token.text, field: .word, position: token.position, sourceRange: token.sourceRange))
        }
        if configuration.bigrams { terms += BigramGenerator().bigrams(of: tokens) }
        return terms
    }
}
