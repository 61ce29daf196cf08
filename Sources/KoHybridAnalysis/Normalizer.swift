/// Step 3: Unicode NFKC with case folding through ICU: full-width forms (`ＡＢＣ１２３` -> `abc123`),
/// compatibility characters (`㎏` -> `kg`, `①` -> `1`), and case (`iPhone` -> `iphone`).
///
/// It runs per token, after segmentation, so every token keeps exact offsets into the original
/// text however normalization changes lengths.
public struct Normalizer: Sendable, Hashable, Codable {
    public init() {}

    public func normalize(_ tokens: [Token]) -> [Token] {
        tokens.map { token in
            var token = token
            token.text = ICU.nfkcCasefold(token.text)
            token.surface = token.text
            return token
        }
    }
}
