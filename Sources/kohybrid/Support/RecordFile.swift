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
            var vector: [Float] = []
            vector.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                switch item {
                case .int(let v): vector.append(Float(v))
                case .double(let v): vector.append(Float(v))
                default: throw fail("embedding[\(i)] must be a number, got \(item.typeName)")
                }
            }
            embedding = vector
        } else if let other = object["embedding"], other != .null {
            throw fail("\"embedding\" must be a list of numbers, got \(other.typeName)")
        }
        return Record(id: id, document: document, metadata: metadata, embedding: embedding)
    }

    static func readBEIR(path: String, model: String) throws(DatasetError) -> [Record] {
        let corpus = try BEIRCorpus.load(from: URL(fileURLWithPath: path))
        let vectorFile = corpus.directory.appendingPathComponent("corpus.\(model).f32")
        let vectors = FileManager.default.fileExists(atPath: vectorFile.path) ? try corpus.vectors(.documents, model: model) : nil
        return corpus.documents.enumerated().map { i, document in
            var metadata: Metadata = document.metadata.mapValues { .string($0) }
            if !document.title.isEmpty { metadata["title"] = .string(document.title) }
            return Record(id: document.id, document: document.fullText, metadata: metadata, embedding: vectors.map { Array($0[i]) })
        }
    }
}
