import ArgumentParser
import KoHybrid
import KoHybridAnalysis

/// `kohybrid analyze`: shows the terms the analyzer produces for a text.
struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Show the terms the Korean analyzer indexes for a text.",
        discussion: """
        Runs the analyzer chain (ICU word segmentation, script splitting, NFKC case folding,
        particle and ending stripping, user-dictionary compounds, stopwords, Hangul bigrams) and
        prints one term per line: field, text, word position and UTF-8 byte offsets into the input.
        --json prints {preset, terms: [{text, field, position, start, end}]}.

        Examples:
          kohybrid analyze "스시오마카세는 근처의 맛집"
          kohybrid analyze "iPhone15프로를 샀다" --analyzer korean-no-bigrams
          kohybrid analyze "서울에서 유명한 곳" --json
        """
    )

    @Argument(help: "The text to analyze.")
    var text: String

    @OptionGroup var analyzer: AnalyzerOptions
    @OptionGroup var output: JSONOutputOptions

    func run() async throws {
        let preset = analyzer.value
        let terms = Analyzer(preset: preset).analyze(text)
        if output.json {
            Terminal.printJSON(JSONValue.fields([
                "preset": preset.rawValue,
                "terms": terms.map { term in
                    JSONValue.fields(["text": term.text, "field": term.field == .word ? "word" : "bigram",
                                      "position": term.position, "start": term.sourceRange.lowerBound, "end": term.sourceRange.upperBound])
                },
            ]))
            return
        }
        for term in terms {
            let field = term.field == .word ? "word  " : "bigram"
            print("\(field)  \(term.text)\tpos \(term.position)\tbytes \(term.sourceRange.lowerBound)..<\(term.sourceRange.upperBound)")
        }
    }
}
