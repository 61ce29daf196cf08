/// Step 6: applies a `UserDictionary`: keeps each Hangul token and appends its parts after it
/// (`스시오마카세` -> `스시오마카세`, `스시`, `오마카세`).
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
