/// Step 8: Hangul character bigrams for the `.bigram` field, taken from each word's normalized
/// surface form (before suffix stripping): `스시오마카세는` -> `스시 시오 오마 마카 카세 세는`.
/// They match inside compounds and inflections the rules miss. A one-syllable word gives itself.
public struct BigramGenerator: Sendable, Hashable, Codable {
    public init() {}

    public func bigrams(of tokens: [Token]) -> [Term] {
        var terms: [Term] = []
        for token in tokens where token.script == .hangul {
            let scalars = Array(token.surface.unicodeScalars)
            if scalars.count == 1 {
                terms.append(Term(text: token.surface, field: .bigram, position: token.position, sourceRange: token.sourceRange))
                continue
            }
            guard scalars.count >= 2 else { continue }
            for i in 0..<(scalars.count - 1) {
                var text = String.UnicodeScalarView()
                text.append(scalars[i]); text.append(scalars[i + 1])
                terms.append(Term(text: String(text), field: .bigram, position: token.position, sourceRange: token.sourceRange))
            }
        }
        return terms
    }
}
