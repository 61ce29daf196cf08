/// Step 5: removes Korean particles (josa) and safe endings from Hangul tokens by longest-match
/// suffix rules, so `서울에서`, `서울의`, `서울은` all index `서울`.
///
/// At most `maximumRounds` suffixes come off, longest first, each checked against its attachment
/// condition and minimum stem (`발표했다는` -> `발표했다` -> `발표`). Words in `protected`
/// (the user dictionary's nouns) are never stripped.
public struct SuffixStripper: Sendable, Hashable, Codable {
    public var rules: [KoreanSuffix]
    public var protected: Set<String>
    public var maximumRounds: Int

    public init(rules: [KoreanSuffix] = KoreanSuffix.particles + KoreanSuffix.endings,
                protected: Set<String> = [], maximumRounds: Int = 2) {
        self.rules = rules; self.protected = protected; self.maximumRounds = maximumRounds
        // Longest first, so `에서는` wins over `는`.
        self.rules.sort { $0.text.unicodeScalars.count > $1.text.unicodeScalars.count }
    }

    public func strip(_ tokens: [Token]) -> [Token] {
        tokens.map { token in
            guard token.script == .hangul else { return token }
            var token = token
            token.text = stem(token.text)
            return token
        }
    }

    /// The stem of one Hangul word.
    public func stem(_ word: String) -> String {
        var scalars = Array(word.unicodeScalars)
        for _ in 0..<maximumRounds {
            if protected.contains(String(String.UnicodeScalarView(scalars))) { break }
            guard let rule = rules.first(where: { matches($0, scalars) }) else { break }
            scalars.removeLast(rule.text.unicodeScalars.count)
        }
        return String(String.UnicodeScalarView(scalars))
    }

    private func matches(_ rule: KoreanSuffix, _ scalars: [Unicode.Scalar]) -> Bool {
        let suffix = rule.text.unicodeScalars
        let stemLength = scalars.count - suffix.count
        guard stemLength >= max(1, rule.minimumStem), scalars[stemLength...].elementsEqual(suffix) else { return false }
        let last = scalars[stemLength - 1]
        guard Hangul.isSyllable(last) else { return false }
        let final = Hangul.finalConsonant(last)
        switch rule.attachment {
        case .any: return true
        case .afterConsonant: return final != 0
        case .afterVowel: return final == 0
        case .afterVowelOrRieul: return final == 0 || final == Hangul.rieul
        }
    }
}
