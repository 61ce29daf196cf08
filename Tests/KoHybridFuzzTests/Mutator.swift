import KoHybridCore

/// A seeded, mutation-based input generator (the classic AFL/libFuzzer mutators, without
/// coverage feedback): each input is a real seed with one to four stacked mutations. The same
/// seed gives the same inputs on every machine, so a failure found in CI replays exactly.
///
/// ```swift
/// var mutator = Mutator(seeds: [Array(#"{"a": 1}"#.utf8)], tokens: Mutator.jsonTokens, seed: 42)
/// let input = mutator.next()   // e.g. {"a": 1e999} or [[[[{"a": 1}]]]] or {"a\u{0}": 1}
/// ```
struct Mutator {
    private(set) var random: SplitMix64
    let seeds: [[UInt8]]
    /// Fragments worth inserting (JSON syntax, operator names, pickle opcodes...).
    let tokens: [[UInt8]]
    /// Whether the JSON-aware mutations (numbers, nesting, strings) apply.
    let json: Bool

    init(seeds: [[UInt8]], tokens: [[UInt8]] = [], json: Bool = false, seed: UInt64) {
        precondition(!seeds.isEmpty, "a mutator needs at least one seed")
        self.seeds = seeds
        self.tokens = tokens
        self.json = json
        random = SplitMix64(seed: seed)
    }

    /// A seed with one to four mutations stacked on it.
    mutating func next() -> [UInt8] {
        var bytes = pick(seeds)
        // Mostly one mutation, so inputs stay near valid and reach deep into the reader.
        for _ in 0..<(chance(2) ? 1 : 2 + below(3)) { mutate(&bytes) }
        return bytes
    }

    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int.random(in: 0..<n, using: &random) }
    mutating func chance(_ oneIn: Int) -> Bool { below(oneIn) == 0 }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// Values that sit on type and size boundaries, as little-endian widths 1, 2, 4 and 8.
    static let interesting: [UInt64] = [
        0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x1_0000,
        0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000,
        0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFE,
        0x4000_0000_0000_0000, 0x0000_0001_0000_0001,
    ]

    mutating func mutate(_ bytes: inout [UInt8]) {
        let kinds = json ? 14 : 10
        switch below(kinds) {
        case 0 where !bytes.isEmpty:                                   // flip one bit
            bytes[below(bytes.count)] ^= 1 << UInt8(below(8))
        case 1 where !bytes.isEmpty:                                   // set one byte
            bytes[below(bytes.count)] = chance(2) ? pick([0x00, 0xFF, 0x7F, 0x80, 0x01]) : UInt8(below(256))
        case 2 where !bytes.isEmpty:                                   // overwrite an integer
            let width = pick([1, 2, 4, 8])
            var value = pick(Self.interesting)
            if chance(3) { value = value &+ UInt64(bitPattern: Int64(below(5) - 2)) }
            let at = below(bytes.count)
            for k in 0..<width where at + k < bytes.count { bytes[at + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(k))) }
        case 3:                                                        // insert random bytes
            let count = chance(8) ? below(4096) : 1 + below(8)
            let fill: UInt8? = chance(2) ? pick([0x00, 0xFF, 0x41, 0x80]) : nil
            var inserted = [UInt8](repeating: fill ?? 0, count: count)
            if fill == nil {
                // Eight random bytes per draw: one draw per byte is slow in debug builds.
                for k in stride(from: 0, to: count, by: 8) {
                    let word = random.next()
                    for j in k..<min(count, k + 8) { inserted[j] = UInt8(truncatingIfNeeded: word >> (8 * UInt64(j - k))) }
                }
            }
            bytes.insert(contentsOf: inserted, at: below(bytes.count + 1))
        case 4 where !bytes.isEmpty:                                   // delete a range
            let start = below(bytes.count)
            bytes.removeSubrange(start..<min(bytes.count, start + 1 + below(chance(4) ? bytes.count : 16)))
        case 5 where !bytes.isEmpty:                                   // duplicate a range
            let start = below(bytes.count), end = min(bytes.count, start + 1 + below(64))
            let copy = Array(bytes[start..<end])
            for _ in 0..<(chance(4) ? 1 + below(64) : 1) { bytes.insert(contentsOf: copy, at: below(bytes.count + 1)) }
        case 6:                                                        // splice with another seed
            let other = pick(seeds)
            let head = below(bytes.count + 1), tail = below(other.count + 1)
            bytes = Array(bytes[..<head]) + Array(other[tail...])
        case 7 where !bytes.isEmpty:                                   // truncate
            bytes.removeSubrange(below(bytes.count)...)
        case 8 where !tokens.isEmpty:                                  // insert a token
            bytes.insert(contentsOf: pick(tokens), at: below(bytes.count + 1))
        case 9 where !tokens.isEmpty && !bytes.isEmpty:                // replace a range by a token
            let start = below(bytes.count)
            bytes.replaceSubrange(start..<min(bytes.count, start + 1 + below(8)), with: pick(tokens))
        case 10:                                                       // JSON: a number at a boundary
            replaceNumber(&bytes)
        case 11:                                                       // JSON: deep nesting
            let depth = pick([2, 64, 300, 511, 512, 513, 2000, 20_000])
            let (open, close): ([UInt8], [UInt8]) = pick([(Array("[".utf8), Array("]".utf8)),
                                                          (Array(#"{"$and":["#.utf8), Array("]}".utf8)),
                                                          (Array(#"{"a":"#.utf8), Array("}".utf8))])
            let inner = chance(2) ? bytes : Array("1".utf8)
            bytes = Self.repeated(open, depth) + inner + (chance(8) ? [] : Self.repeated(close, depth))
        case 12 where !bytes.isEmpty:                                  // JSON: NUL, bad UTF-8, escapes
            let fragment: [UInt8] = pick([[0x00], Array(#"\u0000"#.utf8), [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
                                          [0xFF], [0xC0, 0x80], Array(#"\ud800"#.utf8), Array(#"\udc00\ud800"#.utf8), [0x0A], [0x0D],
                                          [0xEF, 0xBB, 0xBF], Array(#"\"#.utf8), Array(#"""#.utf8)])
            bytes.insert(contentsOf: fragment, at: below(bytes.count + 1))
        case 13:                                                       // JSON: a long string or key
            let length = pick([255, 256, 4096, 65_536])
            let unit: [UInt8] = pick([Array("a".utf8), Array("한".utf8), Array(#"\n"#.utf8), Array(#"\ud83d\ude00"#.utf8)])
            bytes.insert(contentsOf: [0x22] + Self.repeated(unit, length) + [0x22], at: below(bytes.count + 1))
        default:                                                       // a no-op draw: flip a bit instead
            if !bytes.isEmpty { bytes[below(bytes.count)] ^= 1 << UInt8(below(8)) } else { bytes = pick(seeds) }
        }
    }

    /// `unit` `count` times over, by doubling (a few copies, not a loop per byte: debug builds
    /// run those slowly).
    static func repeated(_ unit: [UInt8], _ count: Int) -> [UInt8] {
        guard count > 0, !unit.isEmpty else { return [] }
        var out = unit
        while out.count < unit.count * count { out += out }
        return Array(out.prefix(unit.count * count))
    }

    static let boundaryNumbers = [
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551616", "1e308", "1e309", "-1e309", "1e-400", "4.9e-324", "0.1e1", "-0", "-0.0",
        "4611686018427387904", "2147483648", "4294967296", "1" + String(repeating: "0", count: 400),
        "1." + String(repeating: "9", count: 400), "123456789012345678901234567890e-10", "NaN", "Infinity",
    ]

    /// Replaces the first digit run after a random point by a boundary number (or inserts one).
    private mutating func replaceNumber(_ bytes: inout [UInt8]) {
        let number = Array(pick(Self.boundaryNumbers).utf8)
        let isDigit = { (b: UInt8) in (0x30...0x39).contains(b) }
        var start = below(bytes.count + 1)
        let limit = min(bytes.count, start + 4096)
        while start < limit, !isDigit(bytes[start]) { start += 1 }
        guard start < limit else { bytes.insert(contentsOf: number, at: below(bytes.count + 1)); return }
        var end = start
        while end < limit, isDigit(bytes[end]) || bytes[end] == 0x2E || bytes[end] == 0x65 { end += 1 }
        bytes.replaceSubrange(start..<end, with: number)
    }

    /// Fragments of JSON, Chroma filter operators and record fields.
    static let jsonTokens: [[UInt8]] = [
        "{", "}", "[", "]", ",", ":", "\"", "null", "true", "false", "0", "-1", "1.5", "{}", "[]", "\"\"",
        "\"$and\"", "\"$or\"", "\"$eq\"", "\"$ne\"", "\"$gt\"", "\"$gte\"", "\"$lt\"", "\"$lte\"", "\"$in\"", "\"$nin\"",
        "\"$contains\"", "\"$not_contains\"", "\"$regex\"", "\"$not_regex\"", "\"$not\"",
        "\"id\"", "\"_id\"", "\"document\"", "\"text\"", "\"metadata\"", "\"embedding\"", "\"collection\"", "\"text_chunk\"",
        "\"ids\"", "\"documents\"", "\"metadatas\"", "\"embeddings\"",
        "(", ")", "*", "+", "?", "{1000}", "{2147483647}", "(?<n>a)", "\\k<n>", "[^", "\\p{Hangul}", "(?i)", "\\", "\\Q", "\\E",
        "(a+)+$", "(?=", "(?<=a)", "\\1", "[[:alpha:]]", "\\u{10FFFF}", "\\x{110000}", "\\N{HANGUL SYLLABLE GA}",
        "b'", "\\x", "\\xeb\\xb6\\x80", "'",
    ].map { Array($0.utf8) }
}
