/// Facts about precomposed Hangul syllables (U+AC00...U+D7A3) that suffix rules need.
enum Hangul {
    static func isSyllable(_ scalar: Unicode.Scalar) -> Bool { (0xAC00...0xD7A3).contains(scalar.value) }

    /// The final consonant (batchim) index 1...27, or 0 for an open syllable or a non-syllable.
    static func finalConsonant(_ scalar: Unicode.Scalar) -> Int {
        guard isSyllable(scalar) else { return 0 }
        return Int((scalar.value - 0xAC00) % 28)
    }

    /// ㄹ as a final consonant: Korean treats it like a vowel before 로 (`서울로`).
    static let rieul = 8
}
