import Foundation
import Testing
import KoHybridDatasets
import KoHybridModel
import KoHybridTestSupport

@Suite struct JSONLinesTests {
    func file(_ text: String) throws -> URL {
        let url = SharedData.temporaryDirectory("jsonl").appendingPathComponent("lines.jsonl")
        try Data(text.utf8).write(to: url)
        return url
    }

    /// `JSONSerialization` hands back an `NSNumber` for both, and on Linux `4.0` comes back as
    /// the integer 4; the lines are read with `JSONValue`, which keeps them apart.
    @Test func integersStayIntegersAndFloatsStayFloats() throws {
        let url = try file(#"{"n": 4}"# + "\n\n" + #"{"n": 4.0}"# + "\n")
        var seen: [(JSONValue?, Int)] = []
        try JSONLines.forEachObject(in: url) { object, line in seen.append((object["n"], line)) }
        #expect(seen.map(\.0) == [.int(4), .double(4.0)])
        #expect(seen.map(\.1) == [1, 3])
    }

    @Test func errorsNameFileAndLine() throws {
        let url = try file(#"{"_id": "d1", "text": "가"}"# + "\n" + #"{"_id": "d2", "text": }"# + "\n")
        #expect {
            try JSONLines.forEachObject(in: url) { _, _ in }
        } throws: { error in
            guard case let .malformedLine(path, line, reason) = error as? DatasetError else { return false }
            return path == url.path && line == 2 && reason.hasPrefix("invalid JSON at byte 22")
        }
        let notObject = try file("[1, 2]\n")
        #expect(throws: DatasetError.malformedLine(path: notObject.path, line: 1, reason: "expected a JSON object, got a list")) {
            try JSONLines.forEachObject(in: notObject) { _, _ in }
        }
        let numberText = try file(#"{"_id": "d1", "text": 5}"# + "\n")
        #expect(throws: DatasetError.malformedLine(path: numberText.path, line: 1, reason: "field \"text\" must be a string, got an integer")) {
            try JSONLines.forEachObject(in: numberText) { (object, line) throws(DatasetError) in
                _ = try JSONLines.requiredString(object, "text", path: numberText.path, line: line)
            }
        }
    }

    @Test func corpusMetadataKeepsNumberText() throws {
        let dir = SharedData.temporaryDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("qrels"), withIntermediateDirectories: true)
        try (#"{"_id": 7, "title": "t", "text": "가", "year": 2024, "score": 4.0}"# + "\n").write(to: dir.appendingPathComponent("corpus.jsonl"), atomically: true, encoding: .utf8)
        try (#"{"_id": "q1", "text": "가"}"# + "\n").write(to: dir.appendingPathComponent("queries.jsonl"), atomically: true, encoding: .utf8)
        try "query-id\tcorpus-id\tscore\nq1\t7\t1\n".write(to: dir.appendingPathComponent("qrels/test.tsv"), atomically: true, encoding: .utf8)
        let corpus = try BEIRCorpus.load(from: dir)
        #expect(corpus.documents.first?.id == "7")
        #expect(corpus.documents.first?.metadata == ["year": "2024", "score": "4.0"])
    }
}
