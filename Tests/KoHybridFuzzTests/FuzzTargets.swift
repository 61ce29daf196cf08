import Foundation
import KoHybrid
@testable import KoHybridChroma
#if !KOHYBRID_LIBFUZZER
@testable import kohybrid   // RecordFile; the libFuzzer package compiles that file in itself
#endif

/// What one fuzz input does to each reader, shared by the seeded harness (`FuzzTests`, run by
/// `swift test`) and the libFuzzer executable (Fuzz/, which links this file). A body returns for
/// a value and throws for a handled refusal; a trap is the bug being looked for. `check` reports
/// a broken property (a parsed filter that does not print back to itself).
enum FuzzTargets {
    /// Metadata the parsed filters are evaluated against: every value type, boundary numbers.
    static let sampleMetadata: [Metadata] = [
        ["category": .string("오마카세"), "price": .int(120000), "rating": .double(4.5), "michelin": .bool(true),
         "tags": .stringList(["런치", "스시"])],
        ["a": .int(.max), "b": .double(.greatestFiniteMagnitude), "c": .int(.min), "counts": .intList([1, 2]),
         "ratings": .doubleList([4.0, -0.0]), "flags": .boolList([false])],
        [:],
    ]
    /// Short documents, so a pathological `$regex` stays a slow match rather than a hang.
    static let sampleDocuments: [String?] = ["성수 오마카세 런치", "스시 12석", "", nil, "a\u{0}b"]

    /// `where` and `where_document` parsing, printing back, and evaluation.
    static func filter(_ bytes: [UInt8], check: (Bool, String) -> Void) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        var parsed = false
        if let filter = try? Filter(json: text) {
            parsed = true
            let again = try? Filter(json: filter.json)
            check(again == filter, "Filter(json: filter.json) != filter for \(text.prefix(200))")
            for metadata in sampleMetadata { _ = filter.matches(metadata) }
        }
        if let filter = try? DocumentFilter(json: text) {
            parsed = true
            for document in sampleDocuments { _ = try? filter.matches(document) }
        }
        if !parsed { _ = try Filter(json: text) }
    }

    /// The JSON-lines readers: `kohybrid ingest`'s (`RecordFile`), Chroma export lines and
    /// `collection.get` dumps, each on the same bytes written to files in `folder`.
    static func jsonLines(_ bytes: [UInt8], in folder: URL) throws {
        let lines = folder.appendingPathComponent("records.jsonl"), dump = folder.appendingPathComponent("dump.json")
        try Data(bytes).write(to: lines)
        try Data(bytes).write(to: dump)
        // Each reader on its own: one refusing the input must not hide another trapping.
        var failures: [Error] = []
        do { _ = try RecordFile.readJSONL(path: lines.path, vectors: nil, dimension: 0) } catch { failures.append(error) }
        do { _ = try ChromaExportReader.readJSONLines(lines, options: ChromaExportOptions()) } catch { failures.append(error) }
        do { _ = try ChromaExportReader.readGetDump(dump, options: ChromaExportOptions()) } catch { failures.append(error) }
        if failures.count == 3 { throw failures[0] }
    }

    /// `index_metadata.pickle`: the pickle machine and the label ↔ id maps read from it.
    static func pickle(_ bytes: [UInt8]) throws {
        _ = try IndexMetadata(pickle: bytes, path: "fuzz.pickle")
    }

    /// A (damaged) persisted directory read the way `kohybrid migrate` reads it: open, integrity
    /// check, list, and every collection in full.
    static func chromaDirectory(_ persist: URL) throws {
        let source = try ChromaSource.open(persist)
        _ = try source.integrityProblems()
        var failures: [Error] = []
        for summary in try source.collections() {
            do { _ = try source.readCollection(named: summary.name) } catch { failures.append(error) }
        }
        if let first = failures.first { throw first }
    }
}
