/// A token on its way through the analyzer chain: each step takes `[Token]` and returns `[Token]`.
public struct Token: Sendable, Hashable {
    /// Current text (normalized once `Normalizer` has run).
    public var text: String
    /// Script class of the text, set by segmentation and refined by `ScriptSplitter`.
    public var script: Script
    /// UTF-8 byte offsets into the original text.
    public var sourceRange: Range<Int>
    /// The surface form before particle/ending stripping (for bigrams), normalized.
    public var surface: String
    /// Ordinal of the word in the text (set after script splitting; compound parts share it).
    public var position: Int

    public init(text: String, script: Script, sourceRange: Range<Int>, surface: String? = nil, position: Int = 0) {
        self.text = text; self.script = script; self.sourceRange = sourceRange; self.surface = surface ?? text
        self.position = position
    }
}

/// The writing system of a token, coarse enough to split mixed-script words such as `iPhone15프로`.
public enum Script: Sendable, Hashable {
    case hangul, han, kana, digit
    /// Latin and every other alphabetic script.
    case letter
    /// Punctuation and symbols kept inside a word (`don't`, `3.14`); never starts a piece.
    case other

    /// The class of one scalar. Combining marks and joiners report `.other` so they stay with the
    /// preceding piece.
    public init(_ scalar: Unicode.Scalar) {
        let v = scalar.value
        switch v {
        case 0xAC00...0xD7A3, 0x1100...0x11FF, 0x3130...0x318F, 0xA960...0xA97F, 0xD7B0...0xD7FF, 0xFFA0...0xFFDC:
            self = .hangul
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F:
            self = .han
        case 0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F:
            self = .kana
        default:
            let properties = scalar.properties
            if properties.numericType == .decimal { self = .digit }
            else if properties.isAlphabetic && !properties.isDiacritic { self = .letter }
            else { self = .other }
        }
    }
}
