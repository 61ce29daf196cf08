/// Step 6: a user dictionary of nouns and compound splits. A word listed in `splits` is indexed
/// whole and as its parts (`스시오마카세` -> `스시오마카세`, `스시`, `오마카세`); a word made
/// entirely of two or more dictionary `nouns` is split the same way by longest match.
///
/// ```swift
/// var dictionary = UserDictionary.default
/// dictionary.splits["한우오마카세"] = ["한우", "오마카세"]
/// ```
public struct UserDictionary: Sendable, Hashable, Codable {
    /// Known nouns: never stripped of suffixes, and usable as compound parts.
    public var nouns: Set<String>
    /// Explicit splits of compounds into parts.
    public var splits: [String: [String]]

    public init(nouns: Set<String> = [], splits: [String: [String]] = [:]) {
        self.nouns = nouns; self.splits = splits
    }

    /// Restaurant-domain nouns this package's users search for.
    public static let `default` = UserDictionary(
        nouns: ["스시", "오마카세", "파인", "다이닝", "파인다이닝", "맛집", "웨이팅", "코스", "런치", "디너",
                "한우", "이자카야", "브런치", "카페", "베이커리", "디저트", "와인", "바", "핫플", "가성비"],
        splits: ["스시오마카세": ["스시", "오마카세"], "파인다이닝": ["파인", "다이닝"],
                 "한우오마카세": ["한우", "오마카세"]])

    /// The parts of `word`, or nil when the dictionary does not split it.
    public func parts(of word: String) -> [String]? {
        if let parts = splits[word] { return parts }
        guard nouns.count > 1, word.unicodeScalars.count >= 4 else { return nil }
        // Longest-match cover by dictionary nouns; only a complete cover counts.
        let scalars = Array(word.unicodeScalars)
        var parts: [String] = []
        var start = 0
        while start < scalars.count {
            var found: Int?
            for end in stride(from: scalars.count, to: start + 1, by: -1) {
                if nouns.contains(String(String.UnicodeScalarView(scalars[start..<end]))) { found = end; break }
            }
            guard let end = found else { return nil }
            parts.append(String(String.UnicodeScalarView(scalars[start..<end])))
            start = end
        }
        return parts.count > 1 ? parts : nil
    }
}

/// Applies a `UserDictionary`: keeps each token and appends its parts after it.
public struct CompoundSplitter: Sendable, Hashable, Codable {
    public var dictionary: UserDictionary

    public init(dictionary: UserDictionary = .default) { self.dictionary = dictionary }

    public func split(_ tokens: [Token]) -> [Token] {
        var result: [Token] = []
        result.reserveCapacity(tokens.count)
        for token in tokens {
            result.append(token)
            guard token.script == .hangul, let parts = dictionary.parts(of: token.text) else { continue }
            for part in parts {
                var piece = token
                piece.text = part
                piece.surface = ""      // the compound's bigrams already cover its parts
                result.append(piece)
            }
        }
        return result
    }
}
