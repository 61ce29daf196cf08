import Foundation
import KoHybrid
import KoHybridDatasets

/// Reading records for `kohybrid ingest`: Chroma-style JSONL or a BEIR corpus. Every problem is
/// a `DatasetError` naming the file and line.
enum RecordFile {
    static func readJSONL(path: String, vectors vectorPath: String?, dimension: Int) throws(DatasetError) -> [Record] {
        let url = URL(fileURLWithPath: path)
        var records: [Record] = []
        var seen: [String: Int] = [:]
        try JSONLines.forEachLine(in: url) { (line, number) throws(DatasetError) in
            let record = try parse(line, path: path, line: number)
            if let first = seen[record.id] {
                throw .malformedLine(path: path, line: number, reason: "id \"\(record.id)\" already appeared on line \(first)")
            }
            seen[record.id] = number
            records.append(record)
        }
        guard let vectorPath else { return records }
        let matrix = try VectorMatrix.read(contentsOf: URL(fileURLWithPath: vectorPath), dimension: dimension)
        guard matrix.count == records.count else {
            throw .vectorRowCount(path: vectorPath, rows: matrix.count, expected: records.count, of: path)
        }
        for i in records.indices { records[i].embedding = Array(matrix[i]) }
        return records
    }

    /// One JSONL line: `id` (or `_id`), `document` (or `text`), `metadata`, `embedding`.
    static func parse(_ line: String, path: String, line number: Int) throws(DatasetError) -> Record {
        func fail(_ reason: String) -> DatasetError { .malformedLine(path: path, line: number, reason: reason) }
        let value: JSONValue
        do { value = try JSONValue(parsing: line) } catch { throw fail(error.description) }
        guard case .object(let object) = value else { throw fail("expected a JSON object, got \(value.typeName)") }
        let id: String
        switch object["id"] ?? object["_id"] {
        case .string(let s)?: id = s
        case .int(let i)?: id = String(i)
        default: throw fail("missing string field \"id\"")
        }
        var document: String?
        switch object["document"] ?? object["text"] {
        case .string(let s)?: document = s
        case nil, .null?: document = nil
        case let other?: throw fail("\"document\" must be a string, got \(other.typeName)")
        }
        var metadata: Metadata = [:]
        if let raw = object["metadata"], raw != .null {
            do { metadata = try Metadata(json: raw) } catch { throw fail(error.description) }
        }
        var embedding: [Float]?
        if case .array(let items)? = object["embedding"] {
            do { embedding = try items.floatVector() } catch {
                throw fail("embedding[\(error.index)] must be a number, got \(error.found.typeName)")
            }
        } else if let other = object["embedding"], other != .null {
            throw fail("\"embedding\" must be a list of numbers, got \(other.typeName)")
        }
        return Record(id: id, document: document, metadata: metadata, embedding: embedding)
    }

    /// A BEIR corpus with the vectors of `model` (`corpus.<model>.f32`). A named model must have
    /// its file; with no model, `e5-small` is used when its file exists, and a corpus without
    /// any vector file is read as text only.
    static func readBEIR(path: String, model: String?) throws(DatasetError) -> [Record] {
        let corpus = try BEIRCorpus.load(from: URL(fileURLWithPath: path))
        let found = vectorModels(in: corpus.directory)
        let chosen: String?
        switch model {
        case let model? where found.contains(model): chosen = model
        case let model?:
            let file = corpus.directory.appendingPathComponent("corpus.\(model).f32").path
            throw .missingFile(path: file + " (no vectors for --model \(model); "
                + (found.isEmpty ? "this corpus has no corpus.<model>.f32 files)" : "models found: \(found.joined(separator: ", ")))"))
        case nil where found.contains("e5-small"): chosen = "e5-small"
        case nil where !found.isEmpty:
            throw .missingFile(path: corpus.directory.appendingPathComponent("corpus.e5-small.f32").path
                + " (give --model; models found: \(found.joined(separator: ", ")))")
        case nil: chosen = nil
        }
        let vectors = try chosen.map { (model) throws(DatasetError) in try corpus.vectors(.documents, model: model) }
        return corpus.documents.enumerated().map { i, document in
            var metadata: Metadata = document.metadata.mapValues { .string($0) }
            if !document.title.isEmpty { metadata["title"] = .string(document.title) }
            return Record(id: document.id, document: document.fullText, metadata: metadata, embedding: vectors.map { Array($0[i]) })
        }
    }

    /// The models that have a `corpus.<model>.f32` file in `directory`, sorted.
    static func vectorModels(in directory: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasPrefix("corpus.") && $0.hasSuffix(".f32") }
            .map { String($0.dropFirst("corpus.".count).dropLast(".f32".count)) }.filter { !$0.isEmpty }.sorted()
    }
}
