import Foundation
import KoHybridTestSupport
import Testing
@testable import KoHybridAnalysis

/// The user dictionary file format and its errors (issue 13, item 4).
@Suite struct UserDictionaryTests {
    @Test func bundledDictionaryHoldsTheRestaurantEntries() {
        // The entries that used to be a literal in CompoundSplitter.swift: the default analyzer
        // must index exactly as before.
        let expected = UserDictionary(
            nouns: ["스시", "오마카세", "파인", "다이닝", "파인다이닝", "맛집", "웨이팅", "코스", "런치", "디너",
                    "한우", "이자카야", "브런치", "카페", "베이커리", "디저트", "와인", "바", "핫플", "가성비"],
            splits: ["스시오마카세": ["스시", "오마카세"], "파인다이닝": ["파인", "다이닝"], "한우오마카세": ["한우", "오마카세"]])
        #expect(UserDictionary.default.nouns == expected.nouns)
        #expect(UserDictionary.default.splits == expected.splits)
        #expect(UserDictionary.default.source == "default")
    }

    @Test func parsesNounsCompoundsCommentsAndLineEndings() throws {
        let text = "# menu words\r\n오마카세\t# a noun\r\n\r\n  이자카야  \n스시오마카세 스시\t오마카세\n\n# end"
        let dictionary = try UserDictionary(parsing: text, source: "menu.dic")
        #expect(dictionary.nouns == ["오마카세", "이자카야"])
        #expect(dictionary.splits == ["스시오마카세": ["스시", "오마카세"]])
        #expect(try UserDictionary(parsing: dictionary.fileText, source: "again") == UserDictionary(nouns: dictionary.nouns, splits: dictionary.splits, source: "again"))
        // Entries are normalized like the text they match: decomposed jamo compose.
        let decomposed = "\u{1100}\u{1161}\u{11AB}\u{1111}\u{1161}\u{11AB}"      // 간판 as conjoining jamo
        #expect(try UserDictionary(parsing: decomposed, source: "nfd").nouns == ["간판"])
    }

    @Test func errorsNameTheSourceAndLine() {
        func error(_ text: String) -> String {
            do { _ = try UserDictionary(parsing: text, source: "menu.dic"); return "no error" } catch { return error.description }
        }
        #expect(error("오마카세\n\niPhone") == "menu.dic:3: 'iphone' is not a Hangul word (the dictionary applies to Hangul words only)")
        #expect(error("# x\n스시오마카세 스시 오마") == "menu.dic:2: the parts 스시 + 오마 do not spell '스시오마카세'")
        #expect(error("스시오마카세 스시오마카세").hasPrefix("menu.dic:1: '스시오마카세' has one part"))
        #expect(error("스시오마카세 스시 오마카세\n오마카세\n스시오마카세 스시오 마카세")
                == "menu.dic:3: '스시오마카세' is split as 스시오 마카세 here but as 스시 오마카세 on line 1")
        // The same split twice is harmless.
        #expect(error("스시오마카세 스시 오마카세\n스시오마카세 스시 오마카세") == "no error")
    }

    @Test func readsAFileAndNamesItInErrors() throws {
        let folder = SharedData.temporaryDirectory("kohybrid-dictionary")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("menu.dic")
        try Data("한우오마카세 한우 오마카세\n".utf8).write(to: file)
        let dictionary = try UserDictionary(contentsOf: file)
        #expect(dictionary.splits == ["한우오마카세": ["한우", "오마카세"]] && dictionary.source == file.path)

        try Data("오마카세\n스시 x\n".utf8).write(to: file)
        #expect(throws: UserDictionaryError.invalidEntry(source: file.path, line: 2, reason: "'x' is not a Hangul word (the dictionary applies to Hangul words only)")) {
            try UserDictionary(contentsOf: file)
        }
        try Data([0x6f, 0xff, 0xfe]).write(to: file)
        #expect(throws: UserDictionaryError.unreadable(path: file.path, reason: "not UTF-8 text")) { try UserDictionary(contentsOf: file) }
        let missing = folder.appendingPathComponent("absent.dic")
        #expect(throws: UserDictionaryError.unreadable(path: missing.path, reason: "No such file or directory")) { try UserDictionary(contentsOf: missing) }
    }

    @Test func aDictionaryFromAFileChangesTheTerms() throws {
        var configuration = AnalyzerConfiguration.korean
        configuration.dictionary = try UserDictionary(parsing: "평양냉면 평양 냉면\n", source: "noodles.dic")
        let words = Analyzer(configuration).analyze("평양냉면은").filter { $0.field == .word }.map(\.text)
        #expect(words == ["평양냉면", "평양", "냉면"])
        #expect(Analyzer().analyze("평양냉면은").filter { $0.field == .word }.map(\.text) == ["평양냉면"])
    }
}

/// The analyzer fingerprint: stable across processes, different whenever the terms could be.
@Suite struct AnalyzerFingerprintTests {
    @Test func fixedForAFixedConfiguration() {
        // A value computed once and written down: a process-seeded hash would differ per run.
        #expect(AnalyzerConfiguration.korean.fingerprint(icuMajorVersion: 70) == "32aa2723b47a51eb")
        let plain = AnalyzerConfiguration(segmentation: .whitespace, normalize: false, stripParticles: false,
                                          stripEndings: false, dictionary: nil, stopwords: [], bigrams: false)
        #expect(plain.fingerprint == "c5d6c8c835c6d0ff")
        // ICU's version matters only where an ICU step runs.
        #expect(plain.fingerprint(icuMajorVersion: 60) == plain.fingerprint(icuMajorVersion: 74))
        #expect(AnalyzerConfiguration.korean.fingerprint(icuMajorVersion: 60) != AnalyzerConfiguration.korean.fingerprint(icuMajorVersion: 74))
        #expect(Analyzer().fingerprint == AnalyzerConfiguration.korean.fingerprint)
    }

    @Test func changesWithEveryRule() {
        let base = AnalyzerConfiguration.korean
        var variants: [AnalyzerConfiguration] = []
        var added = base; added.dictionary?.nouns.insert("평양냉면"); variants.append(added)
        var resplit = base; resplit.dictionary?.splits["스시오마카세"] = ["스시오", "마카세"]; variants.append(resplit)
        var noDictionary = base; noDictionary.dictionary = nil; variants.append(noDictionary)
        var emptyDictionary = base; emptyDictionary.dictionary = UserDictionary(); variants.append(emptyDictionary)
        var stopword = base; stopword.stopwords.remove("것"); variants.append(stopword)
        var particles = base; particles.stripParticles = false; variants.append(particles)
        var length = base; length.maximumTokenLength = 39; variants.append(length)
        for preset in AnalyzerPreset.allCases where preset != .korean { variants.append(preset.configuration) }
        let fingerprints = [base.fingerprint] + variants.map(\.fingerprint)
        #expect(Set(fingerprints).count == fingerprints.count, "\(fingerprints)")
        #expect(fingerprints.allSatisfy { $0.count == 16 && $0.allSatisfy(\.isHexDigit) })
    }

    @Test func ignoresWhereTheDictionaryCameFromAndSetOrder() throws {
        var a = AnalyzerConfiguration.korean
        a.dictionary?.source = "/somewhere/else.dic"
        #expect(a.fingerprint == AnalyzerConfiguration.korean.fingerprint)
        // Sets built in another order (another hash seed in effect) give the same fingerprint
        // and the same stored JSON.
        var b = AnalyzerConfiguration.korean
        b.stopwords = Set(AnalyzerConfiguration.korean.stopwords.sorted().reversed())
        #expect(b.fingerprint == AnalyzerConfiguration.korean.fingerprint)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = try encoder.encode(b)
        #expect(json == (try encoder.encode(AnalyzerConfiguration.korean)))
        #expect(try JSONDecoder().decode(AnalyzerConfiguration.self, from: json) == b)
    }
}
