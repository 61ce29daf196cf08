import Testing
import KoHybridModel

/// The one JSON <-> metadata conversion that the store, the server, `kohybrid ingest` and the
/// Chroma readers all use.
@Suite struct MetadataJSONTests {
    @Test func integersAndFloatsStayApart() throws {
        #expect(try JSONValue(parsing: #"{"n": 4}"#) == .object(["n": .int(4)]))
        #expect(try JSONValue(parsing: #"{"n": 4.0}"#) == .object(["n": .double(4.0)]))
        #expect(try JSONValue(parsing: "1e2") == .double(100))
        let metadata = try Metadata(json: JSONValue(parsing: #"{"price": 4, "rating": 4.0, "tags": ["런치"], "ok": true}"#))
        #expect(metadata == ["price": .int(4), "rating": .double(4.0), "tags": .stringList(["런치"]), "ok": .bool(true)])
        #expect(metadata.jsonText == #"{"ok":true,"price":4,"rating":4.0,"tags":["런치"]}"#)
        #expect(try Metadata(jsonText: metadata.jsonText) == metadata)
    }

    @Test func errorsNameTheKeyAndIndex() throws {
        func problem(_ text: String, nulls: MetadataNulls = .refused) -> String? {
            do { _ = try Metadata(json: JSONValue(parsing: text), path: "metadatas[2]", nulls: nulls); return nil } catch {
                return "\(error)"
            }
        }
        #expect(problem(#"{"tags": ["a", 1]}"#) == "metadatas[2].tags[1]: a list holds one type: expected a string, got an integer")
        #expect(problem(#"{"tags": []}"#) == "metadatas[2].tags: an empty list has no element type")
        #expect(problem(#"{"nested": {"a": 1}}"#) == "metadatas[2].nested: expected a string, integer, float, boolean or a list of one of these, got an object")
        #expect(problem(#"{"gone": null}"#) == "metadatas[2].gone: expected a string, integer, float, boolean or a list of one of these, got null")
        #expect(problem(#"{"": 1}"#) == "metadatas[2]: a metadata key cannot be empty")
        #expect(problem(#"[1]"#) == "metadatas[2]: expected an object, got a list")
        #expect(problem(#"{"gone": null, "kept": 1}"#, nulls: .omitted) == nil)
        #expect(try Metadata(json: JSONValue(parsing: #"{"gone": null, "kept": 1}"#), nulls: .omitted) == ["kept": .int(1)])
    }

    @Test func changesMapNullToRemoval() throws {
        let changes = try [String: MetadataValue?](changesJSON: JSONValue(parsing: #"{"rating": 5, "draft": null}"#))
        let expected: [String: MetadataValue?] = ["rating": .int(5), "draft": nil]   // "draft" present, mapped to nil
        #expect(changes == expected && changes.keys.contains("draft"))
        #expect(throws: MetadataError(path: "metadata.rating", reason: "expected a string, integer, float, boolean or a list of one of these, got an object")) {
            try [String: MetadataValue?](changesJSON: JSONValue(parsing: #"{"rating": {}}"#))
        }
    }

    @Test func exportLinesKeepNumberForms() {
        let record = Record(id: "a", document: nil, metadata: ["n": .int(4), "x": .double(4)], embedding: [0.1, 1e-07])
        #expect(RecordJSONLines.line(collection: "c", record: record)
            == #"{"collection":"c","id":"a","document":null,"metadata":{"n":4,"x":4.0},"embedding":[0.1,1e-07]}"#)
    }
}
