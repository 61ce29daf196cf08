import Testing
@testable import KoHybridAnalysis

/// The whole chain and its presets.
@Suite struct AnalyzerTests {
    private func words(_ text: String, _ preset: AnalyzerPreset = .korean) -> [String] {
        Analyzer(preset: preset).analyze(text).filter { $0.field == .word }.map(\.text)
    }

    @Test func queryNounMatchesInflectedDocumentWord() {
        // The motivating case: ICU alone keeps 근처의 whole, so 근처 would never match.
        #expect(words("근처의 맛집") == ["근처", "맛집"])
        #expect(words("서울에서 서울의 서울은") == ["서울", "서울", "서울"])
        #expect(words("근처의 맛집", .whitespace) == ["근처의", "맛집"])
    }

    @Test func mixedScriptsNumbersAndHanja() {
        #expect(words("iPhone15프로를 샀다") == ["iphone", "15", "프로", "샀다"])
        #expect(words("2024년 3월 15일") == ["2024", "년", "3", "월", "15", "일"])
        #expect(words("大韓民國 헌법") == ["大韓民國", "헌법"])
        #expect(words("ＫＯＲＥＡ") == ["korea"])
    }

    @Test func compoundsIndexWholeAndParts() {
        #expect(words("스시오마카세는 예약이 어렵다") == ["스시오마카세", "스시", "오마카세", "예약", "어렵다"])
    }

    @Test func termsCarryPositionsAndOffsets() {
        let text = "서울에서 유명한 스시오마카세"
        let terms = Analyzer().analyze(text)
        let bytes = Array(text.utf8)
        let seoul = try! #require(terms.first { $0.field == .word && $0.text == "서울" })
        #expect(seoul.position == 0)
        #expect(String(decoding: bytes[seoul.sourceRange], as: UTF8.self) == "서울에서")
        let parts = terms.filter { $0.field == .word && ["스시오마카세", "스시", "오마카세"].contains($0.text) }
        #expect(parts.count == 3 && Set(parts.map(\.position)) == [2])
        for term in terms { #expect(term.sourceRange.upperBound <= bytes.count) }
    }

    @Test func bigramFieldCoversHangulOnly() {
        let terms = Analyzer().analyze("오마카세 iPhone")
        #expect(terms.filter { $0.field == .bigram }.map(\.text) == ["오마", "마카", "카세"])
        #expect(Analyzer(preset: .koreanNoBigrams).analyze("오마카세").allSatisfy { $0.field == .word })
        let bigramOnly = Analyzer(preset: .bigram).analyze("오마카세 iPhone")
        #expect(bigramOnly.filter { $0.field == .word }.map(\.text) == ["iphone"])
    }

    @Test func everyPresetHandlesRealText() {
        let text = "콜라독립 815(815 Cola)는 코카콜라를 대한민국에서 라이선스로 만들어 오던 범양식품이 1998년 4월 1일에 출시한 탄산음료다."
        for preset in AnalyzerPreset.allCases {
            let terms = Analyzer(preset: preset).analyze(text)
            #expect(!terms.isEmpty, "\(preset)")
            #expect(terms.allSatisfy { !$0.text.isEmpty })
        }
        #expect(words(text).contains("대한민국"))
        #expect(words(text).contains("출시"))
        #expect(words(text).contains("cola"))
    }

    @Test func configurationIsCodable() throws {
        let data = try JSONEncoderShim.encode(AnalyzerConfiguration.korean)
        #expect(try JSONEncoderShim.decode(data) == AnalyzerConfiguration.korean)
    }
}

import Foundation
private enum JSONEncoderShim {
    static func encode(_ value: AnalyzerConfiguration) throws -> Data { try JSONEncoder().encode(value) }
    static func decode(_ data: Data) throws -> AnalyzerConfiguration { try JSONDecoder().decode(AnalyzerConfiguration.self, from: data) }
}
