/// The bundled user dictionary, in the user dictionary file format (see
/// `UserDictionary.init(contentsOf:)`): restaurant-domain words this package's users search for.
/// Kept as data in a Swift file rather than a SwiftPM resource, so the `kohybrid` binary needs
/// no bundle beside it. Editing it changes the default analyzer's fingerprint: collections made
/// with the old entries keep them (their configuration stores the dictionary), new ones get these.
let defaultUserDictionaryText = """
    # Nouns: never stripped of suffixes, and parts for longest-match compound splitting.
    스시
    오마카세
    파인
    다이닝
    파인다이닝
    맛집
    웨이팅
    코스
    런치
    디너
    한우
    이자카야
    브런치
    카페
    베이커리
    디저트
    와인
    바
    핫플
    가성비

    # Compounds and their parts.
    스시오마카세 스시 오마카세
    파인다이닝 파인 다이닝
    한우오마카세 한우 오마카세

    """
