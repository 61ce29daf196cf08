/// Every step of the analyzer chain with its switch and knobs. Steps run in this order:
/// segmentation, script splitting, normalization, length filter, suffix stripping, compound
/// splitting, stopwords, then bigrams.
///
/// ```swift
/// var configuration = AnalyzerConfiguration.korean
/// configuration.stopwords = []                     // keep every word
/// configuration.dictionary = try UserDictionary(contentsOf: URL(fileURLWithPath: "menu.dic"))
/// let analyzer = Analyzer(configuration)
/// print(configuration.fingerprint)                  // changes whenever the terms could
/// ```
///
/// A configuration is data: a collection stores it whole (dictionary and stopwords included),
/// so a release that changes a preset's defaults never changes how an existing collection
/// analyses text. What data cannot capture, the code of the steps, is covered by
/// ``rulesVersion`` in ``fingerprint``.
public struct AnalyzerConfiguration: Sendable, Hashable, Codable {
    public var segmentation: Segmenter.Method
    /// Split words where the script changes (`iPhone15프로` -> `iphone 15 프로`).
    public var splitScripts: Bool
    /// NFKC with case folding.
    public var normalize: Bool
    /// Longest allowed token in characters; longer tokens are dropped.
    public var maximumTokenLength: Int
    /// Strip particles (josa) from Hangul words.
    public var stripParticles: Bool
    /// Strip safe verbal/adjectival endings from Hangul words.
    public var stripEndings: Bool
    /// User dictionary: protected nouns and compound splits; `nil` turns compound splitting off.
    public var dictionary: UserDictionary?
    /// Words removed after stripping; empty keeps everything.
    public var stopwords: Set<String>
    /// Emit word terms (turn off for a bigram-only analyzer).
    public var words: Bool
    /// Emit Hangul character bigrams in the `.bigram` field.
    public var bigrams: Bool

    public init(segmentation: Segmenter.Method = .icu, splitScripts: Bool = true, normalize: Bool = true,
                maximumTokenLength: Int = 40, stripParticles: Bool = true, stripEndings: Bool = true,
                dictionary: UserDictionary? = .default, stopwords: Set<String> = StopwordFilter.korean,
                words: Bool = true, bigrams: Bool = true) {
        self.segmentation = segmentation; self.splitScripts = splitScripts; self.normalize = normalize
        self.maximumTokenLength = maximumTokenLength; self.stripParticles = stripParticles
        self.stripEndings = stripEndings; self.dictionary = dictionary; self.stopwords = stopwords
        self.words = words; self.bigrams = bigrams
    }

    /// The default for Korean: every step on, words plus bigrams.
    public static let korean = AnalyzerConfiguration()

    // Sets encode sorted, so a stored configuration reads the same in every process.
    private enum CodingKeys: String, CodingKey {
        case segmentation, splitScripts, normalize, maximumTokenLength, stripParticles, stripEndings, dictionary,
             stopwords, words, bigrams
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(segmentation, forKey: .segmentation)
        try container.encode(splitScripts, forKey: .splitScripts)
        try container.encode(normalize, forKey: .normalize)
        try container.encode(maximumTokenLength, forKey: .maximumTokenLength)
        try container.encode(stripParticles, forKey: .stripParticles)
        try container.encode(stripEndings, forKey: .stripEndings)
        try container.encodeIfPresent(dictionary, forKey: .dictionary)
        try container.encode(stopwords.sorted(), forKey: .stopwords)
        try container.encode(words, forKey: .words)
        try container.encode(bigrams, forKey: .bigrams)
    }
}

/// Named analyzer configurations, for the command line and for ablations.
public enum AnalyzerPreset: String, Sendable, Codable, CaseIterable {
    /// Every step on: words (stemmed, split, filtered) plus Hangul bigrams.
    case korean
    /// `korean` without the bigram field.
    case koreanNoBigrams = "korean-no-bigrams"
    /// Hangul bigrams only (plus non-Hangul words), like a pure n-gram index.
    case bigram
    /// ICU words, normalized, nothing else: the baseline.
    case whitespace

    public var configuration: AnalyzerConfiguration {
        switch self {
        case .korean: .korean
        case .koreanNoBigrams: AnalyzerConfiguration(bigrams: false)
        case .bigram: AnalyzerConfiguration(stripParticles: false, stripEndings: false, dictionary: nil,
                                            stopwords: [], words: true, bigrams: true).bigramOnly
        case .whitespace: AnalyzerConfiguration(splitScripts: false, stripParticles: false, stripEndings: false,
                                                dictionary: nil, stopwords: [], bigrams: false)
        }
    }
}

extension AnalyzerConfiguration {
    /// Hangul goes to the bigram field only; other scripts still index words.
    fileprivate var bigramOnly: AnalyzerConfiguration { var c = self; c.words = false; return c }
}
