import Foundation
import Testing
import KoHybrid
import KoHybridTestSupport
@testable import KoHybridChroma

/// Export files users produce (`collection.get` JSON dumps, `cdp export` lines) read back to exactly the records of expected.json.
@Suite struct ChromaExportReaderTests {
    static let getExportVersions = ["0.4.24", "0.5.23", "0.6.3", "1.0.21", "1.5.9"]

    @Test(.needsSharedData, arguments: getExportVersions)
    func getDumpMatchesExpected(_ version: String) throws {
        let fixture = ChromaFixture(version: version)
        let source = try ChromaSource.open(fixture.getExport, exportOptions: ChromaExportOptions(space: .cosine))
        #expect(source.format == .getExport)
        let collection = try source.readCollection(named: "export_get_fine_dining")
        let want = try #require(try fixture.expected().first { $0.name == "fine_dining_examples" })
        try expectSame(collection.records, want.records, "\(version) get dump")
        #expect(collection.invariantViolations() == [])
        #expect(collection.dimension == 8)
        #expect(collection.configuration.space == .cosine)
    }

    static let cdpExports = [
        ("cdp_record_stdout__chromadb-0.5.23.jsonl", "0.5.23"),
        ("cdp_record_out-flag__chromadb-0.5.23.jsonl", "0.5.23"),
        ("cdp_record_out-flag__chromadb-0.4.24.jsonl", "0.4.24"),
        ("cdp_jsonl_stdout__chromadb-0.4.24.jsonl", "0.4.24"),
        ("cdp_jsonl_out-flag__chromadb-0.4.24.jsonl", "0.4.24"),
    ]

    @Test(.needsSharedData, arguments: cdpExports)
    func cdpExportMatchesExpected(_ file: String, _ version: String) throws {
        let url = SharedData.chromaFixtures.appendingPathComponent("exports").appendingPathComponent(file)
        let source = try ChromaSource.open(url, exportOptions: ChromaExportOptions(collectionName: "fine_dining"))
        #expect(source.format == .jsonLines)
        let collection = try source.readCollection(named: "fine_dining")
        let want = try #require(try ChromaFixture(version: version).expected().first { $0.name == "fine_dining_examples" })
        try expectSame(collection.records, want.records, file)
        #expect(collection.invariantViolations() == [])
    }

    /// `collection.get()` with the default include has no embeddings: every record is reported
    /// as skipped with its reason, none is silently imported without a vector.
    @Test func getDumpWithoutEmbeddingsSkipsWithReasons() throws {
        let url = SharedData.temporaryDirectory("get-default").appendingPathComponent("menus.json")
        try Data(#"{"ids": ["m1", "m2"], "embeddings": null, "documents": ["전복 리조또", null], "metadatas": [{"price": 38000}, null], "uris": null, "data": null, "included": ["metadatas", "documents"]}"#.utf8).write(to: url)
        let collection = try ChromaSource.open(url).readCollection(named: "menus")
        #expect(collection.records.isEmpty)
        #expect(collection.skipped.map(\.id) == ["m1", "m2"])
        #expect(collection.skipped.allSatisfy { $0.reason.contains("no embedding") })
    }

    @Test func getDumpWithNumpyArraysIsExplained() throws {
        // json.dump of a numpy array fails in Python; a user who wrote str(array) gets a clear error.
        let url = SharedData.temporaryDirectory("get-numpy").appendingPathComponent("menus.json")
        try Data(#"{"ids": ["m1"], "embeddings": "array([[0.1, 0.2]])"}"#.utf8).write(to: url)
        do {
            _ = try ChromaSource.open(url).readCollection(named: "menus")
            Issue.record("a string accepted as embeddings")
        } catch {
            guard case let .invalidJSON(path, _, reason) = error else { Issue.record("wrong error \(error)"); return }
            #expect(path == url.path && reason.contains(".tolist()"))
        }
    }

    @Test func bytesLiteralDecodesEscapesAndUTF8() throws {
        let line = Array(#"b'{"t":"\xeb\xb6\x80\xec\x82\xb0 \\"q\\" \'s\'"}'"#.utf8)
        let decoded = try ChromaExportReader.decodeBytesLiteral(line, path: "x", line: 1)
        #expect(try JSONValue.parse(decoded, path: "x").member("t") == .string(#"부산 "q" 's'"#))
        #expect(throws: ChromaError.self) { try ChromaExportReader.decodeBytesLiteral(Array(#"b'\x4'"#.utf8), path: "x", line: 3) }
    }

    @Test func brokenLinesNameFileAndLine() throws {
        let dir = SharedData.temporaryDirectory("chroma-export")
        let url = dir.appendingPathComponent("broken.jsonl")
        try Data("""
        {"id":"a","metadata":null,"embedding":[1.0,2.0],"text_chunk":"가"}
        {"id":"b","metadata":{"x":1},"embedding":[1.0],"text_chunk":"나"}
        """.utf8).write(to: url)
        #expect(throws: ChromaError.dimensionMismatch(path: url.path + ":2", collection: "broken", id: "b", expected: 2, found: 1)) {
            try ChromaSource.open(url).readCollection(named: "broken")
        }
        try Data("{\"id\":\"a\",\"metadata\":{\"x\":[1, 2.5]},\"embedding\":[1.0],\"text_chunk\":null}\n{oops\n".utf8).write(to: url)
        #expect(throws: ChromaError.self) { try ChromaSource.open(url).readCollection(named: "broken") }
        try Data("{\"id\":\"a\",\"metadata\":null,\"embedding\":[1.0],\"text_chunk\":null}\n{oops\n".utf8).write(to: url)
        #expect(throws: ChromaError.invalidJSON(path: url.path, line: 2, reason: "invalid JSON at byte 1: expected a string key")) {
            try ChromaSource.open(url).readCollection(named: "broken")
        }
    }

    /// Metadata goes through KoHybridModel's one conversion: a mixed list is refused naming the
    /// line, the key and the list index; `null` members are left out; `4` and `4.0` stay apart.
    @Test func metadataProblemsNameTheLineKeyAndIndex() throws {
        let url = SharedData.temporaryDirectory("export").appendingPathComponent("typed.jsonl")
        try Data(#"{"id":"a","metadata":{"n":4,"x":4.0,"gone":null},"embedding":[1.0],"text_chunk":null}"#.utf8).write(to: url)
        let records = try ChromaSource.open(url).readCollection(named: "typed").records
        #expect(records.first?.metadata == ["n": .int(4), "x": .double(4.0)])
        try Data((#"{"id":"a","metadata":{"n":4},"embedding":[1.0],"text_chunk":null}"# + "\n"
            + #"{"id":"b","metadata":{"tags":["a",1]},"embedding":[1.0],"text_chunk":null}"# + "\n").utf8).write(to: url)
        #expect(throws: ChromaError.unsupportedData(path: url.path, reason: "line 2: metadata.tags[1]: a list holds one type: expected a string, got an integer")) {
            try ChromaSource.open(url).readCollection(named: "typed")
        }
        try Data(#"{"id":"a","metadata":{},"embedding":[1.0,"x"],"text_chunk":null}"#.utf8).write(to: url)
        #expect(throws: ChromaError.invalidJSON(path: url.path, line: 1, reason: "record \"a\": embedding[1] is a string, not a number")) {
            try ChromaSource.open(url).readCollection(named: "typed")
        }
    }
}

/// Ids, documents, typed metadata and embedding bits equal.
func expectSame(_ got: [Record], _ want: [Record], _ label: String) throws {
    #expect(got.map(\.id) == want.map(\.id), "\(label): ids")
    for (mine, theirs) in zip(got, want) {
        #expect(mine.document == theirs.document, "\(label)/\(mine.id) document")
        #expect(mine.metadata == theirs.metadata, "\(label)/\(mine.id) metadata")
        #expect(bits(mine.embedding) == bits(theirs.embedding), "\(label)/\(mine.id) embedding")
    }
}
