import Foundation
import KoHybridFiles
import KoHybrid
import KoHybridDatasets

/// Reads the export files Chroma users have: `collection.get(include=[...])` dumped with
/// `json.dump`, and JSON lines from `cdp export` (record shape `{id, metadata, embedding,
/// text_chunk}`, flat shape with metadata keys at the top level, and the `--out` variant whose
/// lines are Python bytes literals) or from `kohybrid export`.
enum ChromaExportReader {
    /// A `collection.get` dump: parallel arrays `ids`, `documents`, `metadatas`, `embeddings`
    /// (each may be null or absent except `ids`).
    static func readGetDump(_ url: URL, options: ChromaExportOptions) throws(ChromaError) -> ChromaCollection {
        let path = url.path
        let bytes = [UInt8](try readFile(url))
        let root = try JSONValue.parse(bytes, path: path)
        guard case let .array(ids)? = root.member("ids") else {
            throw .invalidJSON(path: path, line: nil, reason: "no \"ids\" array: not a collection.get dump")
        }
        func column(_ key: String) throws(ChromaError) -> [JSONValue]? {
            switch root.member(key) {
            case nil, .null?: return nil
            case let .array(values)? where values.count == ids.count: return values
            default: throw .invalidJSON(path: path, line: nil, reason: "\"\(key)\" is not an array of \(ids.count) values (numpy arrays must be dumped with .tolist())")
            }
        }
        let documents = try column("documents"), metadatas = try column("metadatas"), embeddings = try column("embeddings")
        var builder = CollectionBuilder(name: options.collectionName ?? url.deletingPathExtension().lastPathComponent,
                                        options: options, path: path)
        for (index, idValue) in ids.enumerated() {
            let context = "record \(index)"
            guard case let .string(id) = idValue else { throw .invalidJSON(path: path, line: nil, reason: "\(context): id is not a string") }
            try builder.add(id: id, document: documents?[index], metadata: metadatas?[index], embedding: embeddings?[index],
                            context: context, line: nil)
        }
        return builder.collection()
    }

    /// JSON lines; returns one collection per `collection` value (kohybrid exports) or a single
    /// collection named after the file (cdp exports).
    static func readJSONLines(_ url: URL, options: ChromaExportOptions) throws(ChromaError) -> [ChromaCollection] {
        let path = url.path
        let data = try readFile(url)
        let defaultName = options.collectionName ?? url.deletingPathExtension().lastPathComponent
        var builders: [String: CollectionBuilder] = [:]
        var order: [String] = []
        var shape: LineShape?
        try JSONLines.forEachLine(of: data) { (bytes, lineNumber) throws(ChromaError) in
            var line = [UInt8](bytes)
            if line.last == 0x0D { line.removeLast() }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
            if line.first == UInt8(ascii: "b"), line.count >= 3, line[1] == UInt8(ascii: "'") || line[1] == UInt8(ascii: "\"") {
                line = try decodeBytesLiteral(line, path: path, line: lineNumber)
            }
            guard case let .object(object) = try JSONValue.parse(line, path: path, line: lineNumber) else {
                throw .invalidJSON(path: path, line: lineNumber, reason: "not a JSON object")
            }
            let lineShape = shape ?? LineShape(object, options: options)
            shape = lineShape
            let name: String
            if lineShape == .kohybrid {
                guard case let .string(collection)? = object["collection"] else {
                    throw .invalidJSON(path: path, line: lineNumber, reason: "no \"collection\" string")
                }
                name = options.collectionName ?? collection
            } else {
                name = defaultName
            }
            if builders[name] == nil {
                builders[name] = CollectionBuilder(name: name, options: options, path: path)
                order.append(name)
            }
            let context = "line \(lineNumber)"
            switch lineShape {
            case .kohybrid, .cdpRecord:
                guard case let .string(id)? = object["id"] else { throw .invalidJSON(path: path, line: lineNumber, reason: "no \"id\" string") }
                try builders[name]?.add(id: id, document: object[lineShape == .kohybrid ? "document" : "text_chunk"],
                                        metadata: object["metadata"], embedding: object["embedding"],
                                        context: context, line: lineNumber)
            case .flat:
                guard case let .string(id)? = object[options.idField] else {
                    throw .invalidJSON(path: path, line: lineNumber, reason: "no \"\(options.idField)\" string")
                }
                var metadata = object
                for key in [options.idField, options.documentField, options.embeddingField] { metadata[key] = nil }
                // A record without metadata has no extra keys; null and {} cannot be told apart.
                try builders[name]?.add(id: id, document: object[options.documentField],
                                        metadata: metadata.isEmpty ? nil : .object(metadata),
                                        embedding: object[options.embeddingField], context: context, line: lineNumber)
            }
        }
        return order.compactMap { builders[$0]?.collection() }
    }

    /// Which of the JSON-lines shapes a file uses, decided by its first record.
    enum LineShape {
        case kohybrid, cdpRecord, flat

        init(_ object: [String: JSONValue], options: ChromaExportOptions) {
            let keys = Set(object.keys)
            if keys.contains("collection"), keys.isSubset(of: ["collection", "id", "document", "metadata", "embedding"]) {
                self = .kohybrid
            } else if keys.contains("metadata"), keys.isSubset(of: ["id", "metadata", "embedding", "text_chunk"]) {
                self = .cdpRecord
            } else {
                self = .flat
            }
        }
    }

    /// Undoes `str(bytes)`: `cdp export --out FILE` writes each JSON line as a Python bytes literal
    /// (`b'{"id":"fd-001",...\xeb\xb6\x80...}'`): `\xNN` are raw bytes, `\\ \' \" \n \r \t` escapes.
    static func decodeBytesLiteral(_ line: [UInt8], path: String, line number: Int) throws(ChromaError) -> [UInt8] {
        let quote = line[1]
        guard line.last == quote, line.count >= 3 else {
            throw .invalidJSON(path: path, line: number, reason: "unterminated Python bytes literal")
        }
        let body = line[2..<(line.count - 1)]
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var index = body.startIndex
        while index < body.endIndex {
            let byte = body[index]
            guard byte == UInt8(ascii: "\\") else { out.append(byte); index += 1; continue }
            guard index + 1 < body.endIndex else { throw .invalidJSON(path: path, line: number, reason: "bytes literal ends in a backslash") }
            let escape = body[index + 1]
            switch escape {
            case UInt8(ascii: "x"):
                guard index + 3 < body.endIndex,
                      let value = UInt8(String(decoding: body[(index + 2)...(index + 3)], as: UTF8.self), radix: 16) else {
                    throw .invalidJSON(path: path, line: number, reason: "bad \\x escape in a bytes literal")
                }
                out.append(value)
                index += 4
                continue
            case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): out.append(escape)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            default: throw .invalidJSON(path: path, line: number, reason: "unknown escape \\\(Character(Unicode.Scalar(escape))) in a bytes literal")
            }
            index += 2
        }
        return out
    }

    static func readFile(_ url: URL) throws(ChromaError) -> Data {
        do { return try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw .unreadableFile(path: url.path, reason: FileSystemErrorText.describe(error))
        }
    }
}

/// Collects records of one exported collection, checking types and a common dimension.
struct CollectionBuilder {
    let name: String
    let options: ChromaExportOptions
    let path: String
    private var records: [String: Record] = [:]
    private var lineOfID: [String: Int] = [:]
    private var skipped: [ChromaSkippedRecord] = []
    private var dimension: Int?

    init(name: String, options: ChromaExportOptions, path: String) {
        self.name = name
        self.options = options
        self.path = path
    }

    mutating func add(id: String, document: JSONValue?, metadata: JSONValue?, embedding: JSONValue?,
                      context: String, line: Int?) throws(ChromaError) {
        func invalid(_ reason: String) -> ChromaError { .invalidJSON(path: path, line: line, reason: "record \"\(id)\": \(reason)") }
        var record = Record(id: id)
        switch document {
        case nil, .null?: break
        case let .string(text)?: record.document = text
        default: throw invalid("document is not a string")
        }
        switch metadata {
        case nil, .null?: break
        case let .object(members)?: record.metadata = try Metadata(chroma: .object(members), path: path, context: context)
        default: throw invalid("metadata is not an object")
        }
        switch embedding {
        case nil, .null?:
            skipped.append(ChromaSkippedRecord(id: id, reason: "\(context): no embedding in the export"))
            return
        case let .array(values)?:
            // Python prints float32 values as the shortest double that equals them, so
            // Float(Double) gives back the exact float32.
            let vector: [Float]
            do { vector = try values.floatVector() } catch { throw invalid("embedding[\(error.index)] is \(error.found.typeName), not a number") }
            if let dimension, dimension != vector.count {
                throw .dimensionMismatch(path: line.map { "\(path):\($0)" } ?? path, collection: name, id: id,
                                         expected: dimension, found: vector.count)
            }
            dimension = vector.count
            record.embedding = vector
        default: throw invalid("embedding is not an array")
        }
        if let earlier = lineOfID[id] {
            skipped.append(ChromaSkippedRecord(id: id, reason: "duplicate id: line \(earlier) replaced by \(context)"))
        }
        lineOfID[id] = line ?? 0
        records[id] = record
    }

    func collection() -> ChromaCollection {
        var list = Array(records.values)
        list.sortByID()
        return ChromaCollection(name: name, id: nil, metadata: [:],
                                configuration: ChromaIndexConfiguration(space: options.space, spaceSource: "export"),
                                dimension: dimension, records: list, skipped: skipped)
    }
}
