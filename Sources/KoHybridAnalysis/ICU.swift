import CICU

/// Thin Swift wrappers over the C shim; the only file that talks to ICU.
enum ICU {
    /// NFKC with case folding (ICU `nfkc_cf`). Returns the input when ICU fails, which only happens
    /// when its data is missing.
    static func nfkcCasefold(_ text: String) -> String {
        // Fast path: lowercase ASCII is already normalized.
        if text.utf8.allSatisfy({ $0 < 0x80 && !(0x41...0x5A).contains($0) }) { return text }
        let source = Array(text.utf16)
        var capacity = source.count * 2 + 8
        while true {
            var output = [UInt16](repeating: 0, count: capacity)
            let needed = source.withUnsafeBufferPointer { src in
                output.withUnsafeMutableBufferPointer { dst in
                    kh_icu_nfkc_casefold(src.baseAddress, Int32(src.count), dst.baseAddress, Int32(capacity))
                }
            }
            if needed < 0 { return text }
            if Int(needed) <= capacity { return String(decoding: output[..<Int(needed)], as: UTF16.self) }
            capacity = Int(needed)
        }
    }

    enum WordKind: Int32 { case none = 0, number, letter, kana, ideographic }

    /// ICU word-break segments as UTF-16 ranges with their rule-status class.
    static func wordSegments(_ utf16: [UInt16]) -> [(range: Range<Int>, kind: WordKind)] {
        guard !utf16.isEmpty else { return [] }
        var capacity = utf16.count / 2 + 16
        while true {
            var ends = [Int32](repeating: 0, count: capacity)
            var kinds = [Int32](repeating: 0, count: capacity)
            let count = utf16.withUnsafeBufferPointer { text in
                ends.withUnsafeMutableBufferPointer { e in
                    kinds.withUnsafeMutableBufferPointer { k in
                        kh_icu_word_segments(text.baseAddress, Int32(text.count), e.baseAddress, k.baseAddress, Int32(capacity))
                    }
                }
            }
            if count < 0 { return [(0..<utf16.count, .letter)] }
            if Int(count) > capacity { capacity = Int(count); continue }
            var result: [(range: Range<Int>, kind: WordKind)] = []
            result.reserveCapacity(Int(count))
            var start = 0
            for i in 0..<Int(count) {
                let end = Int(ends[i])
                result.append((start..<end, WordKind(rawValue: kinds[i]) ?? .none))
                start = end
            }
            return result
        }
    }

    /// ICU's major version: part of the analyzer's fingerprint, since word-break rules and
    /// Unicode data change between ICU versions.
    static var versionMajor: Int { Int(kh_icu_version_major()) }
}
