/// Step 2: splits a token where the script changes between Hangul, Han, kana, Latin (and other
/// letters) and digits, so `iPhone15프로` gives `iPhone`, `15`, `프로`.
///
/// Marks, joiners and in-word punctuation (`'` in `don't`, `.` in `3.14`) stay with the piece
/// before them; a piece made only of such characters is dropped.
public struct ScriptSplitter: Sendable, Hashable, Codable {
    public init() {}

    public func split(_ tokens: [Token]) -> [Token] {
        var result: [Token] = []
        result.reserveCapacity(tokens.count)
        for token in tokens { split(token, into: &result) }
        return result
    }

    private func split(_ token: Token, into result: inout [Token]) {
        var pieceStart = 0          // byte offset within token.text
        var pieceScript: Script?
        var offset = 0
        let bytes = Array(token.text.utf8)
        func flush(until end: Int) {
            guard let script = pieceScript, end > pieceStart else { return }
            let text = String(decoding: bytes[pieceStart..<end], as: UTF8.self)
            let base = token.sourceRange.lowerBound
            result.append(Token(text: text, script: script, sourceRange: (base + pieceStart)..<(base + end)))
        }
        for scalar in token.text.unicodeScalars {
            let script = Script(scalar)
            if script != .other, script != pieceScript {
                flush(until: offset)
                pieceStart = offset
                pieceScript = script
            }
            offset += UTF8.width(scalar)
        }
        flush(until: offset)
    }
}
