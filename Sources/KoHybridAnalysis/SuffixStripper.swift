/// Step 5: removes Korean particles (josa) and safe endings from Hangul tokens by longest-match
/// suffix rules, so `서울에서`, `서울의`, `서울은` all index `서울`.
///
/// The longest matching suffix comes off first, checked against its attachment condition and
/// minimum stem; then at most one ending more (`발표했다는` -> `발표했다` -> `발표`), never a
/// second particle (`프로를` -> `프로`, not `프`). Words in `protected` (the user dictionary's
/// nouns) are never stripped.
public struct SuffixStripper: Sendable, Hashable {
    public let rules: [KoreanSuffix]
    public let protected: Set<String>
    /// Rules longest first (so `에서는` wins over `는`), with their scalars, for matching.
    private let ordered: [(rule: KoreanSuffix, scalars: [Unicode.Scalar])]

    public init(rules: [KoreanSuffix] = KoreanSuffix.particles + KoreanSuffix.endings, protected: Set<String> = []) {
        self.rules = rules; self.protected = protected
        ordered = rules.map { ($0, Array($0.text.unicodeScalars)) }.sorted { $0.1.count > $1.1.count }
    }

    public static func == (a: Self, b: Self) -> Bool { a.rules == b.rules && a.protected == b.protected }
    public func hash(into hasher: inout Hasher) { hasher.combine(rules); hasher.combine(protected) }

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
        if protected.contains(word) { return word }
        var scalars = Array(word.unicodeScalars)
        guard let first = ordered.first(where: { matches($0.rule, $0.scalars, scalars) }) else { return word }
        scalars.removeLast(first.scalars.count)
        if !protected.contains(String(String.UnicodeScalarView(scalars))),
           let second = ordered.first(where: { $0.rule.kind == .ending && matches($0.rule, $0.scalars, scalars) }) {
            scalars.removeLast(second.scalars.count)
        }
        return String(String.UnicodeScalarView(scalars))
    }

    private func matches(_ rule: KoreanSuffix, _ suffix: [Unicode.Scalar], _ scalars: [Unicode.Scalar]) -> Bool {
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
