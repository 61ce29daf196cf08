import Foundation
import KoHybridFiles

/// A user dictionary of nouns and compound splits. A word listed in `splits` is indexed whole
/// and as its parts (`스시오마카세` -> `스시오마카세`, `스시`, `오마카세`); a word made entirely
/// of two or more `nouns` is split the same way by longest match; a noun is never stripped of
/// suffixes (`카페` keeps its `페`).
///
/// Dictionaries are data: read one from a file (see ``init(contentsOf:)`` for the format) or
/// build one in code. A collection stores the whole dictionary in its configuration, so the
/// store never depends on the file staying where it was, and the entries enter the analyzer's
/// fingerprint, so changing one re-indexes instead of analysing queries differently from
/// documents.
///
/// ```swift
/// var dictionary = try UserDictionary(contentsOf: URL(fileURLWithPath: "menu.dic"))
/// dictionary.splits["한우오마카세"] = ["한우", "오마카세"]
/// var analyzer = AnalyzerConfiguration.korean
/// analyzer.dictionary = dictionary
/// ```
public struct UserDictionary: Sendable, Hashable, Codable {
    /// Known nouns: never stripped of suffixes, and usable as compound parts.
    public var nouns: Set<String>
    /// Explicit splits of compounds into parts.
    public var splits: [String: [String]]
    /// Where the entries were read from (a path or a name), for people reading a configuration;
    /// the entries themselves are what the analyzer uses. Not part of the fingerprint.
    public var source: String?

    public init(nouns: Set<String> = [], splits: [String: [String]] = [:], source: String? = nil) {
        self.nouns = nouns; self.splits = splits; self.source = source
    }

    /// The restaurant-domain dictionary this package's users search with, from
    /// `DefaultUserDictionary.swift` (in the user dictionary file format).
    public static let `default`: UserDictionary = {
        do { return try UserDictionary(parsing: defaultUserDictionaryText, source: "default") } catch {
            // The text is a constant of this build and a test parses it, so this cannot happen.
            preconditionFailure("the bundled user dictionary does not parse: \(error)")
        }
    }()

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

    // Sets encode sorted, so a stored configuration reads the same in every process.
    private enum CodingKeys: String, CodingKey { case nouns, splits, source }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(nouns.sorted(), forKey: .nouns)
        try container.encode(splits, forKey: .splits)
        try container.encodeIfPresent(source, forKey: .source)
    }
}

// MARK: - The user dictionary file format

extension UserDictionary {
    /// Reads a user dictionary file (UTF-8), the format of Lucene's Korean (Nori) user
    /// dictionary: one entry per line, a noun alone or a compound followed by its parts, each
    /// separated by spaces or tabs; `#` starts a comment, to the end of the line; blank lines are
    /// ignored.
    ///
    /// ```text
    /// # nouns: protected from suffix stripping, usable as compound parts
    /// 오마카세
    /// 이자카야
    /// # a compound and its parts (which must spell the compound)
    /// 스시오마카세 스시 오마카세
    /// ```
    ///
    /// A compound line does not make the compound a noun; list it alone as well to protect it.
    /// Entries are Hangul words, NFKC-normalized and case-folded like the text they match.
    /// Every problem is an error naming the file and line: a word that is not Hangul, parts that
    /// do not spell their compound, one compound given two different splits.
    public init(contentsOf url: URL) throws(UserDictionaryError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadable(path: url.path, reason: FileSystemErrorText.describe(error))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(path: url.path, reason: "not UTF-8 text")
        }
        try self.init(parsing: text, source: url.path)
    }

    /// Parses the file format of ``init(contentsOf:)``; `source` names the text in errors.
    public init(parsing text: String, source: String) throws(UserDictionaryError) {
        self.init(source: source)
        var splitLines: [String: Int] = [:]
        var lineNumber = 0
        // Character.isNewline also takes "\r\n" (one Character in Swift) as one line break.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let content = rawLine.prefix { $0 != "#" }
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{FEFF}" })
                .map { ICU.nfkcCasefold(String($0)) }
            guard let word = fields.first else { continue }
            func invalid(_ reason: String) -> UserDictionaryError { .invalidEntry(source: source, line: lineNumber, reason: reason) }
            for field in fields where !field.unicodeScalars.allSatisfy({ Script($0) == .hangul }) {
                throw invalid("'\(field)' is not a Hangul word (the dictionary applies to Hangul words only)")
            }
            guard fields.count > 1 else { nouns.insert(word); continue }
            let parts = Array(fields.dropFirst())
            guard parts.count >= 2 else {
                throw invalid("'\(word)' has one part; a compound needs two or more (a noun stands alone on its line)")
            }
            guard parts.joined() == word else {
                throw invalid("the parts \(parts.joined(separator: " + ")) do not spell '\(word)'")
            }
            if let previous = splits[word], previous != parts, let first = splitLines[word] {
                throw invalid("'\(word)' is split as \(parts.joined(separator: " ")) here but as \(previous.joined(separator: " ")) on line \(first)")
            }
            if splits[word] == nil { splitLines[word] = lineNumber }
            splits[word] = parts
        }
    }

    /// The dictionary in the file format, nouns then compounds, each sorted: parsing it gives
    /// the same entries.
    public var fileText: String {
        var lines = nouns.sorted()
        lines += splits.keys.sorted().map { ([$0] + (splits[$0] ?? [])).joined(separator: " ") }
        return lines.map { $0 + "\n" }.joined()
    }
}

/// A user dictionary that cannot be read, with the file and line at fault.
public enum UserDictionaryError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case invalidEntry(source: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read the user dictionary \(path): \(reason)"
        case .invalidEntry(let source, let line, let reason): "\(source):\(line): \(reason)"
        }
    }
}
