/// Step 1: splits text into word tokens with UTF-8 offsets into the original text.
///
/// `.icu` uses ICU's word break iterator (UAX #29 plus dictionaries for Han and Thai) and keeps
/// only segments ICU classifies as words or numbers, so spaces, punctuation, symbols and emoji drop
/// out. It keeps each Korean eojeol whole (`서울에서는`); later steps split it further.
/// `.whitespace` splits at whitespace only (a baseline for ablations).
public struct Segmenter: Sendable, Hashable, Codable {
    public enum Method: String, Sendable, Hashable, Codable { case icu, whitespace }
    public var method: Method

    public init(_ method: Method = .icu) { self.method = method }

    public func segment(_ text: String) -> [Token] {
        switch method {
        case .icu: return icuSegments(text)
        case .whitespace: return whitespaceSegments(text)
        }
    }

    private func icuSegments(_ text: String) -> [Token] {
        let utf16 = Array(text.utf16)
        // UTF-16 offset -> UTF-8 offset, so tokens report byte ranges into the original text.
        var utf8Offset = [Int](repeating: 0, count: utf16.count + 1)
        var u16 = 0, u8 = 0
        for scalar in text.unicodeScalars {
            let units = scalar.value > 0xFFFF ? 2 : 1
            for j in 0..<units { utf8Offset[u16 + j] = u8 }
            u16 += units
            u8 += UTF8.width(scalar)
        }
        utf8Offset[u16] = u8
        let bytes = Array(text.utf8)
        var tokens: [Token] = []
        for (range, kind) in ICU.wordSegments(utf16) where kind != .none {
            let byteRange = utf8Offset[range.lowerBound]..<utf8Offset[range.upperBound]
            let piece = String(decoding: bytes[byteRange], as: UTF8.self)
            let script: Script = switch kind {
            case .number: .digit
            case .ideographic: .han
            case .kana: .kana
            default: piece.unicodeScalars.first.map(Script.init) ?? .letter
            }
            tokens.append(Token(text: piece, script: script, sourceRange: byteRange))
        }
        return tokens
    }

    private func whitespaceSegments(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var start: Int?
        var offset = 0
        let bytes = Array(text.utf8)
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                if let s = start { tokens.append(token(bytes, s..<offset)); start = nil }
            } else if start == nil {
                start = offset
            }
            offset += UTF8.width(scalar)
        }
        if let s = start { tokens.append(token(bytes, s..<offset)) }
        return tokens
    }

    private func token(_ bytes: [UInt8], _ range: Range<Int>) -> Token {
        let text = String(decoding: bytes[range], as: UTF8.self)
        return Token(text: text, script: text.unicodeScalars.first.map(Script.init) ?? .other, sourceRange: range)
    }
}
