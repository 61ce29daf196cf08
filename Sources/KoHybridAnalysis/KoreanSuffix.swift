/// One Korean suffix rule: a particle (josa) or a verbal/adjectival ending, with the phonological
/// condition under which it attaches and the shortest stem it may leave.
public struct KoreanSuffix: Sendable, Hashable, Codable {
    /// Which final sound of the stem the suffix requires (Korean particle allomorphy: `서울은` but
    /// `부산는` never occurs; `책을` vs `나무를`).
    public enum Attachment: String, Sendable, Hashable, Codable {
        case any
        /// After a closed syllable (batchim): 은, 을, 이, 과, 으로.
        case afterConsonant
        /// After an open syllable: 는, 를, 가, 와.
        case afterVowel
        /// After an open syllable or ㄹ: 로 (`학교로`, `서울로`).
        case afterVowelOrRieul
    }

    public enum Kind: String, Sendable, Hashable, Codable { case particle, ending }

    public var text: String
    public var attachment: Attachment
    /// Minimum stem length in characters left after removal.
    public var minimumStem: Int
    public var kind: Kind

    public init(_ text: String, _ attachment: Attachment = .any, minimumStem: Int = 1, kind: Kind = .particle) {
        self.text = text; self.attachment = attachment; self.minimumStem = minimumStem; self.kind = kind
    }
}

extension KoreanSuffix {
    /// Particles (josa) and their common stacked forms. One-syllable particles that attach
    /// anywhere (의, 에, 도, 만), and 가/과/와/로, need a two-syllable stem, since so many
    /// two-syllable nouns end in those syllables (`회의`, `정의`, `결과`, `도로`, `프로`, `대가`);
    /// 은/는/이/을/를 keep one-syllable stems (`책을`, `물이`).
    public static let particles: [KoreanSuffix] = {
        var rules: [KoreanSuffix] = [
            .init("이", .afterConsonant), .init("은", .afterConsonant), .init("을", .afterConsonant),
            .init("과", .afterConsonant, minimumStem: 2), .init("으로", .afterConsonant), .init("으로서", .afterConsonant),
            .init("으로써", .afterConsonant), .init("으로는", .afterConsonant), .init("으로도", .afterConsonant),
            .init("으로의", .afterConsonant), .init("이나", .afterConsonant), .init("이랑", .afterConsonant),
            .init("이며", .afterConsonant), .init("이란", .afterConsonant), .init("이라는", .afterConsonant),
            .init("이라고", .afterConsonant), .init("이라도", .afterConsonant), .init("과의", .afterConsonant),
            .init("과는", .afterConsonant), .init("이야", .afterConsonant),
            .init("가", .afterVowel, minimumStem: 2), .init("는", .afterVowel), .init("를", .afterVowel),
            .init("와", .afterVowel, minimumStem: 2),
            .init("와의", .afterVowel), .init("와는", .afterVowel), .init("나", .afterVowel, minimumStem: 2),
            .init("랑", .afterVowel), .init("며", .afterVowel, minimumStem: 2), .init("란", .afterVowel),
            .init("라는", .afterVowel), .init("라고", .afterVowel), .init("라도", .afterVowel),
            .init("로", .afterVowelOrRieul, minimumStem: 2), .init("로서", .afterVowelOrRieul), .init("로써", .afterVowelOrRieul),
            .init("로는", .afterVowelOrRieul), .init("로도", .afterVowelOrRieul), .init("로의", .afterVowelOrRieul),
            .init("로부터", .afterVowelOrRieul),
        ]
        for one in ["의", "에", "도", "만", "께", "뿐"] { rules.append(.init(one, minimumStem: 2)) }
        for many in ["에서", "에게", "에게서", "께서", "한테", "한테서", "까지", "부터", "처럼", "보다", "마다",
                     "조차", "마저", "밖에", "에서는", "에서도", "에서의", "에서만", "에는", "에도", "에만", "에의",
                     "에게는", "에게도", "까지는", "까지도", "부터는", "만은", "만이", "만을", "보다는", "처럼",
                     "같이", "대로", "이든", "든지", "에서부터", "으로부터", "이나마", "이라면", "라면"] {
            rules.append(.init(many))
        }
        return rules
    }()

    /// Endings that are safe to strip: the light verbs 하다/되다/시키다 and the copula 이다 after a
    /// noun (`발표했다` -> `발표`, `유명한` -> `유명`, `사용되는` -> `사용`, `도시이다` -> `도시`),
    /// adjectival -적, and common past-tense and question endings. They require a two-syllable stem
    /// so verbs like `한다` or `하는` themselves are left alone.
    public static let endings: [KoreanSuffix] = {
        let light = ["하다", "한다", "했다", "하였다", "하는", "한", "할", "하여", "해", "해서", "하고", "하며",
                     "하면", "했던", "하던", "합니다", "했습니다", "하지", "하기", "함", "하게", "하도록", "하나",
                     "했나", "하나요", "했나요", "하니", "하는가", "했는가", "할까", "하며", "하여야", "해야",
                     "되다", "된다", "됐다", "되었다", "되는", "된", "될", "되어", "돼", "되고", "되며", "되면",
                     "됩니다", "되었던", "됐던", "되던", "되지", "되기", "되나", "됐나", "되었나", "되는가", "될까",
                     "시키다", "시킨", "시키는", "시켰다", "시켜",
                     "이다", "입니다", "이었다", "였다", "이며", "이고", "이라", "인", "인가", "인가요", "일까",
                     "인지", "이니", "이었던", "였던", "이에요", "예요", "이죠",
                     "적", "적인", "적으로", "적이", "적을", "적의"]
        return light.map { KoreanSuffix($0, minimumStem: 2, kind: .ending) }
    }()
}
