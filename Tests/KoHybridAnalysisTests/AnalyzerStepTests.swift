import Testing
@testable import KoHybridAnalysis

/// Each analyzer step on its own, with real Korean text.
@Suite struct AnalyzerStepTests {
    @Test func icuSegmentationKeepsWordsAndByteOffsets() {
        let text = "근처의 스시오마카세는, 정말 맛있다!"
        let tokens = Segmenter().segment(text)
        #expect(tokens.map(\.text) == ["근처의", "스시오마카세는", "정말", "맛있다"])
        let bytes = Array(text.utf8)
        for token in tokens {
            #expect(String(decoding: bytes[token.sourceRange], as: UTF8.self) == token.text)
        }
    }

    @Test func segmentationDropsPunctuationSymbolsAndEmoji() {
        let tokens = Segmenter().segment("맛집 😀🍣 ★★★ … 추천")
        #expect(tokens.map(\.text) == ["맛집", "추천"])
    }

    @Test func emptyAndWhitespaceOnlyTextGiveNoTokens() {
        for text in ["", " ", "\n\t  \u{3000}", "\u{200B}"] {
            #expect(Segmenter().segment(text).isEmpty)
            #expect(Analyzer().analyze(text).isEmpty)
        }
    }

    @Test func controlCharactersAreSeparatorsNotCrashes() {
        let terms = Analyzer().analyze("서울\u{0}부산\u{7}대구\u{1B}[0m\u{FFFE}광주")
        let words = terms.filter { $0.field == .word }.map(\.text)
        #expect(words.contains("서울") && words.contains("부산") && words.contains("광주"))
    }

    @Test func whitespaceSegmentationSplitsOnlyAtSpaces() {
        #expect(Segmenter(.whitespace).segment(" 서울에서,  부산까지 ").map(\.text) == ["서울에서,", "부산까지"])
    }

    @Test func scriptSplitterSeparatesHangulLatinDigits() {
        let tokens = ScriptSplitter().split(Segmenter().segment("iPhone15프로 갤럭시S24울트라"))
        #expect(tokens.map(\.text) == ["iPhone", "15", "프로", "갤럭시", "S", "24", "울트라"])
        #expect(tokens.map(\.script) == [.letter, .digit, .hangul, .hangul, .letter, .digit, .hangul])
        let bytes = Array("iPhone15프로 갤럭시S24울트라".utf8)
        #expect(String(decoding: bytes[tokens[2].sourceRange], as: UTF8.self) == "프로")
    }

    @Test func scriptSplitterKeepsInWordPunctuation() {
        let tokens = ScriptSplitter().split(Segmenter().segment("3.14 don't"))
        #expect(tokens.map(\.text) == ["3.14", "don't"])
    }

    @Test func normalizerFoldsWidthCompatibilityAndCase() {
        let tokens = Normalizer().normalize(Segmenter().segment("ＡＢＣ１２３ iPhone ﬁle Straße"))
        #expect(tokens.map(\.text) == ["abc123", "iphone", "file", "strasse"])
    }

    @Test func normalizerComposesDecomposedHangul() {
        // 한 as conjoining jamo (NFD) folds to the precomposed syllable.
        let decomposed = "\u{1112}\u{1161}\u{11AB}\u{1100}\u{1173}\u{11AF}"
        #expect(Analyzer(preset: .whitespace).analyze(decomposed).map(\.text) == ["한글"])
    }

    @Test func particlesStripToTheNoun() {
        let stripper = SuffixStripper()
        for word in ["서울에서", "서울의", "서울은", "서울을", "서울이", "서울로", "서울까지", "서울에서는", "서울처럼"] {
            #expect(stripper.stem(word) == "서울", "\(word)")
        }
        #expect(stripper.stem("학교가") == "학교")
        #expect(stripper.stem("학교를") == "학교")
        #expect(stripper.stem("학교로") == "학교")
        #expect(stripper.stem("책을") == "책")
        #expect(stripper.stem("물이") == "물")
    }

    @Test func particleAllomorphyIsRespected() {
        let stripper = SuffixStripper()
        // 이 only follows a closed syllable, so 나이 (age) and 아이 (child) stay whole.
        #expect(stripper.stem("나이") == "나이")
        #expect(stripper.stem("아이") == "아이")
        // 는 only follows an open syllable: 있는 is not 있 + 는.
        #expect(stripper.stem("하늘") == "하늘")
        // One-syllable particles that attach anywhere need a two-syllable stem.
        #expect(stripper.stem("회의") == "회의")
        #expect(stripper.stem("정도") == "정도")
        // ... and so do 가/과/와/로: 결과, 도로 and 프로 are nouns, not 결 + 과, 도 + 로.
        for noun in ["결과", "도로", "프로", "대가", "기와"] { #expect(stripper.stem(noun) == noun) }
    }

    @Test func atMostOneParticleComesOff() {
        #expect(SuffixStripper().stem("프로를") == "프로")
        #expect(SuffixStripper().stem("오리로") == "오리")
    }

    @Test func lightVerbAndCopulaEndingsReduceToTheNoun() {
        let stripper = SuffixStripper()
        #expect(stripper.stem("발표했다") == "발표")
        #expect(stripper.stem("발표했다는") == "발표")
        #expect(stripper.stem("유명한") == "유명")
        #expect(stripper.stem("사용되는") == "사용")
        #expect(stripper.stem("도시이다") == "도시")
        #expect(stripper.stem("경제적인") == "경제")
        // Verbs that are only an ending are left alone.
        #expect(stripper.stem("한다") == "한다")
        #expect(stripper.stem("하는") == "하")   // 하 + 는: a stopword downstream
    }

    @Test func protectedNounsAreNotStripped() {
        let stripper = SuffixStripper(protected: ["오마카세"])
        #expect(stripper.stem("오마카세") == "오마카세")
        #expect(SuffixStripper().stem("카페") == "카페")
    }

    @Test func compoundSplitterUsesSplitsAndNouns() {
        let dictionary = UserDictionary(nouns: ["한우", "오마카세", "스시"], splits: ["파인다이닝": ["파인", "다이닝"]])
        #expect(dictionary.parts(of: "파인다이닝") == ["파인", "다이닝"])
        #expect(dictionary.parts(of: "한우오마카세") == ["한우", "오마카세"])
        #expect(dictionary.parts(of: "한우국밥") == nil)      // not a complete cover
        #expect(dictionary.parts(of: "스시") == nil)
        let tokens = CompoundSplitter(dictionary: dictionary).split([Token(text: "한우오마카세", script: .hangul, sourceRange: 0..<18)])
        #expect(tokens.map(\.text) == ["한우오마카세", "한우", "오마카세"])
    }

    @Test func stopwordsAndLengthFilter() {
        let tokens = [Token(text: "것", script: .hangul, sourceRange: 0..<3),
                      Token(text: "맛집", script: .hangul, sourceRange: 4..<10),
                      Token(text: String(repeating: "a", count: 41), script: .letter, sourceRange: 11..<52)]
        #expect(StopwordFilter().filter(tokens).map(\.text) == ["맛집", String(repeating: "a", count: 41)])
        #expect(StopwordFilter(words: []).filter(tokens).count == 3)
        #expect(LengthFilter(maximumLength: 40).filter(tokens).map(\.text) == ["것", "맛집"])
    }

    @Test func bigramsComeFromTheSurfaceForm() {
        var token = Token(text: "서울", script: .hangul, sourceRange: 0..<12, surface: "서울에서")
        token.position = 3
        let bigrams = BigramGenerator().bigrams(of: [token, Token(text: "집", script: .hangul, sourceRange: 13..<16),
                                                     Token(text: "abc", script: .letter, sourceRange: 17..<20)])
        #expect(bigrams.map(\.text) == ["서울", "울에", "에서", "집"])
        #expect(bigrams.allSatisfy { $0.field == .bigram })
        #expect(bigrams.first?.position == 3)
    }
}
