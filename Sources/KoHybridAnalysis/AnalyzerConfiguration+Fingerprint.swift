import KoHybridFiles

extension AnalyzerConfiguration {
    /// The version of the analyzer's code: bump it in any change to a step that changes the
    /// terms some text gets (a new rule, a fixed bug, another order of steps). Data changes
    /// (suffix lists, dictionary, stopwords, switches) need no bump: they enter ``fingerprint``
    /// themselves.
    public static let rulesVersion = 1

    /// A fingerprint of everything that decides which terms text gets: ``rulesVersion``, every
    /// switch and knob, the suffix rules the stripper will use, the dictionary's entries, the
    /// stopwords, and ICU's major version when an ICU step (segmentation, normalization) is on,
    /// since ICU's word-break rules and Unicode data change between its versions. Sixteen hex
    /// digits of `Checksum64` over a canonical encoding (sorted sets, length-prefixed strings):
    /// the same in every process and on every machine with the same ICU, unlike `Hasher`, which
    /// is seeded per process.
    ///
    /// Indexes record the fingerprint they were built with; one built with another is rebuilt
    /// from the records rather than searched with queries analysed differently from its documents.
    ///
    /// ```swift
    /// AnalyzerConfiguration.korean.fingerprint          // "3f1c9a0e5b7d2c48", say
    /// ```
    public var fingerprint: String { fingerprint(icuMajorVersion: ICU.versionMajor) }

    /// The fingerprint as it would be with ICU `icuMajorVersion` (tests pin it to a fixed value).
    func fingerprint(icuMajorVersion: Int) -> String {
        var out = CanonicalEncoding()
        out.append("kohybrid-analyzer-rules", Self.rulesVersion)
        if segmentation == .icu || normalize { out.append("icu", icuMajorVersion) }
        out.append("segmentation", segmentation.rawValue)
        out.append("splitScripts", splitScripts)
        out.append("normalize", normalize)
        out.append("maximumTokenLength", maximumTokenLength)
        for (name, on, rules) in [("particles", stripParticles, KoreanSuffix.particles), ("endings", stripEndings, KoreanSuffix.endings)] {
            out.append(name, on)
            guard on else { continue }
            out.append("\(name).count", rules.count)
            for rule in rules {
                out.append("text", rule.text)
                out.append("attachment", rule.attachment.rawValue)
                out.append("minimumStem", rule.minimumStem)
                out.append("kind", rule.kind.rawValue)
            }
        }
        out.append("dictionary", dictionary != nil)
        if let dictionary {
            out.append("nouns", dictionary.nouns.sorted())
            out.append("splits", dictionary.splits.count)
            for word in dictionary.splits.keys.sorted() { out.append(word, dictionary.splits[word] ?? []) }
        }
        out.append("stopwords", stopwords.sorted())
        out.append("words", words)
        out.append("bigrams", bigrams)
        let digest = String(Checksum64.of(out.bytes), radix: 16)
        return String(repeating: "0", count: 16 - digest.count) + digest
    }
}

/// Labelled, length-prefixed values in a fixed byte layout: two encodings are equal only when
/// every label and value is, whatever the strings contain.
private struct CanonicalEncoding {
    var bytes: [UInt8] = []

    mutating func append(_ label: String, _ value: Int) { string(label); integer(value) }
    mutating func append(_ label: String, _ value: Bool) { string(label); integer(value ? 1 : 0) }
    mutating func append(_ label: String, _ value: String) { string(label); string(value) }
    mutating func append(_ label: String, _ values: [String]) {
        string(label)
        integer(values.count)
        for value in values { string(value) }
    }

    private mutating func integer(_ value: Int) {
        withUnsafeBytes(of: Int64(value).littleEndian) { bytes.append(contentsOf: $0) }
    }

    private mutating func string(_ value: String) {
        integer(value.utf8.count)
        bytes.append(contentsOf: value.utf8)
    }
}
