/// Drops function words that carry no topic (`것`, `수`, `및`, `the`). Runs after particle
/// stripping, so the list holds stems. Replace `words` for another domain; an empty set keeps all.
public struct StopwordFilter: Sendable, Hashable, Codable {
    public var words: Set<String>

    public init(words: Set<String> = StopwordFilter.korean) { self.words = words }

    public func filter(_ tokens: [Token]) -> [Token] {
        words.isEmpty ? tokens : tokens.filter { !words.contains($0.text) }
    }

    /// Korean bound nouns, pronouns, conjunctions and light verb stems, plus a few English articles.
    public static let korean: Set<String> = [
        "것", "수", "등", "및", "또", "또는", "혹은", "그리고", "그러나", "하지만", "그런데", "그래서", "따라서",
        "즉", "곧", "더", "덜", "때", "중", "간", "뿐", "데", "바", "줄", "지", "듯",
        "이", "그", "저", "이것", "그것", "저것", "여기", "거기", "저기", "이런", "그런", "저런", "이러한", "그러한",
        "하", "되", "있", "없", "않", "같", "위해", "대해", "대한", "통해", "관한", "관해", "의해", "따른", "따라",
        "a", "an", "the", "of", "and", "or", "to", "in", "on", "is", "are",
    ]
}
