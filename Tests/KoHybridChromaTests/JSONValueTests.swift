import Testing
@testable import KoHybridChroma

@Suite struct JSONValueTests {
    @Test func integersAndFloatsStayApart() throws {
        let value = try JSONValue.parse(#"{"a": 4, "b": 4.0, "c": 1e-07, "d": -12, "e": 1099511627783, "f": -0.0}"#)
        #expect(value["a"] == .int(4))
        #expect(value["b"] == .double(4.0))
        #expect(value["c"] == .double(1e-07))
        #expect(value["d"] == .int(-12))
        #expect(value["e"] == .int(1_099_511_627_783))   // 2^40 + 7
        #expect(value["f"] == .double(-0.0))
    }

    @Test func koreanTextEscapesAndSurrogatePairs() throws {
        // Python's json.dumps writes non-ASCII as \uXXXX and emoji as surrogate pairs.
        let value = try JSONValue.parse(#"["\uc2a4\uc2dc \ud83c\udf63", "오마카세 \"특선\"\n", "\/"]"#)
        #expect(value == .array([.string("스시 🍣"), .string("오마카세 \"특선\"\n"), .string("/")]))
    }

    @Test func pythonNonFiniteExtensions() throws {
        let value = try JSONValue.parse("[NaN, Infinity, -Infinity]")
        guard case let .array(items) = value, case let .double(nan) = items[0] else { Issue.record("not parsed"); return }
        #expect(nan.isNaN)
        #expect(items[1] == .double(.infinity))
        #expect(items[2] == .double(-.infinity))
    }

    @Test func errorsCarryTheOffset() {
        #expect(throws: JSONParseError(offset: 7, reason: "expected ',' or '}'")) { try JSONValue.parse(#"{"a":1 "b":2}"#) }
        #expect(throws: JSONParseError(offset: 0, reason: "integer 99999999999999999999 does not fit in 64 bits")) {
            try JSONValue.parse("99999999999999999999")
        }
        #expect(throws: JSONParseError.self) { try JSONValue.parse(#""\ud83c""#) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse("[1, 2") }
        #expect(throws: JSONParseError.self) { try JSONValue.parse("[1] x") }
        #expect(throws: JSONParseError.self) { try JSONValue.parse("-") }
    }
}
