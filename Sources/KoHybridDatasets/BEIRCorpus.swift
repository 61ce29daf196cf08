import Foundation
import KoHybridModel

/// A retrieval set in BEIR layout: `corpus.jsonl`, `queries.jsonl`, `qrels/<split>.tsv`, and
/// optionally precomputed vectors `corpus.<model>.f32` / `queries.<model>.f32` whose rows follow
/// the order of the JSONL files.
///
/// ```swift
/// let corpus = try BEIRCorpus.load(from: URL(fileURLWithPath: "../shared/corpora/kobest-boolq"))
/// print(corpus.documents.count, corpus.judgedQueries.count)
/// let vectors = try corpus.vectors(.documents)   // 5,757 x 384
/// ```
public struct BEIRCorpus: Sendable {
    public struct Document: Sendable, Equatable {
        public var id: String
        public var title: String
        public var text: String
        public var metadata: [String: String]
        /// Title and text as one passage, the way BEIR tools index them.
        public var fullText: String { title.isEmpty ? text : title + "\n" + text }

        public init(id: String, title: String = "", text: String, metadata: [String: String] = [:]) {
            self.id = id; self.title = title; self.text = text; self.metadata = metadata
        }
    }

    public struct Query: Sendable, Equatable {
        public var id: String
        public var text: String
        public var metadata: [String: String]

        public init(id: String, text: String, metadata: [String: String] = [:]) {
            self.id = id; self.text = text; self.metadata = metadata
        }
    }

    public enum Side: Sendable { case documents, queries }

    public let directory: URL
    public var name: String { directory.standardizedFileURL.lastPathComponent }
    /// Documents in file order (row i of the corpus vector file).
    public var documents: [Document]
    /// Every query in file order (row i of the query vector file), judged or not.
    public var queries: [Query]
    /// query id -> document id -> graded relevance (only grades above zero are kept).
    public var qrels: [String: [String: Int]]

    /// Queries that have at least one relevant document, in file order.
    public var judgedQueries: [Query] { queries.filter { qrels[$0.id] != nil } }

    public init(directory: URL, documents: [Document], queries: [Query], qrels: [String: [String: Int]]) {
        self.directory = directory; self.documents = documents; self.queries = queries; self.qrels = qrels
    }

    /// Loads and validates a BEIR directory. Every malformed line or unknown id is an error that
    /// names the file and line.
    public static func load(from directory: URL, split: String = "test") throws(DatasetError) -> BEIRCorpus {
        let corpusURL = directory.appendingPathComponent("corpus.jsonl")
        let queriesURL = directory.appendingPathComponent("queries.jsonl")
        let qrelsURL = directory.appendingPathComponent("qrels").appendingPathComponent("\(split).tsv")

        let documents = try readDocuments(corpusURL)
        let queries = try readQueries(queriesURL)
        let documentIDs = Set(documents.map(\.id)), queryIDs = Set(queries.map(\.id))
        let qrels = try readQrels(qrelsURL, queryIDs: queryIDs, documentIDs: documentIDs)
        return BEIRCorpus(directory: directory, documents: documents, queries: queries, qrels: qrels)
    }

    /// Reads `corpus.jsonl`: `_id` (once each), `text` and an optional `title` per line, the other
    /// scalar fields as metadata.
    public static func readDocuments(_ url: URL) throws(DatasetError) -> [Document] {
        try entries(url, except: ["_id", "title", "text"]) { (id, text, object, metadata, line) throws(DatasetError) in
            let title = try JSONLines.optionalString(object, "title", path: url.path, line: line) ?? ""
            return Document(id: id, title: title, text: text, metadata: metadata)
        }
    }

    /// Reads `queries.jsonl`: `_id` (once each) and `text` per line, the other scalar fields
    /// (`split`, `answer`, ...) as metadata.
    public static func readQueries(_ url: URL) throws(DatasetError) -> [Query] {
        try entries(url, except: ["_id", "text"]) { (id, text, _, metadata, _) throws(DatasetError) in
            Query(id: id, text: text, metadata: metadata)
        }
    }

    /// One entry per line of a BEIR JSON-lines file: its `_id` (unique in the file), `text`, the
    /// line's object, the other scalar fields as text, and the line number.
    private static func entries<Entry>(_ url: URL, except: Set<String>,
                                       _ make: (String, String, [String: JSONValue], [String: String], Int) throws(DatasetError) -> Entry) throws(DatasetError) -> [Entry] {
        var entries: [Entry] = []
        var ids = Set<String>()
        try JSONLines.forEachObject(in: url) { (object, line) throws(DatasetError) in
            let id = try JSONLines.requiredString(object, "_id", path: url.path, line: line)
            guard ids.insert(id).inserted else { throw .duplicateID(path: url.path, line: line, id: id) }
            let text = try JSONLines.requiredString(object, "text", path: url.path, line: line)
            entries.append(try make(id, text, object, JSONLines.stringMetadata(object, except: except), line))
        }
        return entries
    }

    /// Reads `qrels/<split>.tsv`: a header line, then `query-id<TAB>corpus-id<TAB>score`.
    public static func readQrels(_ url: URL, queryIDs: Set<String>, documentIDs: Set<String>) throws(DatasetError) -> [String: [String: Int]] {
        var qrels: [String: [String: Int]] = [:]
        let path = url.path
        try JSONLines.forEachLine(in: url) { (line, number) throws(DatasetError) in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if number == 1 && fields.first == "query-id" { return }
            guard fields.count >= 3, let score = Int(fields[2]) else {
                throw .malformedLine(path: path, line: number, reason: "expected query-id<TAB>corpus-id<TAB>integer score, got \"\(line.prefix(80))\"")
            }
            guard queryIDs.contains(fields[0]) else { throw .unknownID(path: path, line: number, id: fields[0], kind: "query") }
            guard documentIDs.contains(fields[1]) else { throw .unknownID(path: path, line: number, id: fields[1], kind: "document") }
            if score > 0 { qrels[fields[0], default: [:]][fields[1]] = score }
        }
        return qrels
    }

    /// The precomputed vectors of one side: `<side>.<model>.f32`, checked against the JSONL row count.
    /// The dimension comes from `embeddings.json` when present, else `dimension`.
    public func vectors(_ side: Side, model: String = "e5-small", dimension: Int? = nil) throws(DatasetError) -> VectorMatrix {
        let stem = side == .documents ? "corpus" : "queries"
        let url = directory.appendingPathComponent("\(stem).\(model).f32")
        let dim = dimension ?? embeddingDimension ?? 384
        let expected = side == .documents ? documents.count : queries.count
        let matrix = try VectorMatrix.read(contentsOf: url, dimension: dim)
        guard matrix.count == expected else {
            throw .vectorRowCount(path: url.path, rows: matrix.count, expected: expected, of: "\(stem).jsonl")
        }
        return matrix
    }

    /// `dim` from `embeddings.json`, when the corpus has one.
    public var embeddingDimension: Int? { Self.embeddingDimension(in: directory) }

    /// `dim` from `<folder>/embeddings.json`: nil when the file is missing, unreadable or has no
    /// integer `dim`.
    public static func embeddingDimension(in folder: URL) -> Int? {
        let url = folder.appendingPathComponent("embeddings.json")
        guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8),
              case .int(let dim)? = (try? JSONValue(parsing: text))?.member("dim") else { return nil }
        return Int(exactly: dim)
    }
}
