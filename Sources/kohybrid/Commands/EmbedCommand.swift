import ArgumentParser
import Foundation
import KoHybridDatasets
import KoHybridEmbedding
import KoHybridModel

/// `kohybrid embed`: precompute vectors for a BEIR folder or a JSONL file into the raw float32
/// layout that `eval`, `ingest --vectors` and `search --vector-file` read.
struct EmbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed a BEIR corpus or a JSONL file into raw float32 vector files.",
        discussion: """
        With --corpus DIR, writes corpus.<name>.f32 (documents, title and text as one passage) \
        and queries.<name>.f32 (every query) into --out (default DIR), rows in file order, and \
        embeddings.json (the dimension) when the folder has none. With --jsonl FILE, embeds each \
        line's "document" (or "text") into --out FILE.f32, one row per line; --role says which \
        side the texts are on.

        Vectors go through the vector cache: a re-run makes no request for texts already \
        embedded. A summary (requests, cache hits and misses, texts/s) goes to stderr, or stdout \
        with --json.

        Examples:
          kohybrid embed --corpus ./my-corpus --name e5-small \\
              --embed-url http://127.0.0.1:8080/v1 --embed-model e5-small --embed-input-type
          kohybrid embed --jsonl questions.jsonl --role query --out questions.f32 \\
              --embed-url https://api.openai.com/v1 --embed-model text-embedding-3-small
        """
    )

    @Option(help: "A BEIR-layout folder (corpus.jsonl, queries.jsonl).") var corpus: String?
    @Option(help: "A JSONL file with one text per line (\"document\" or \"text\").") var jsonl: String?
    @Option(help: "Where to write: a folder for --corpus (default the corpus), a file for --jsonl.") var out: String?
    @Option(help: "The <name> in corpus.<name>.f32 and queries.<name>.f32.") var name = "embedded"
    @Option(help: "With --jsonl: query or document.") var role = EmbeddingRole.document
    @Flag(help: "Print a JSON summary.") var json = false
    @OptionGroup(title: "Embedding") var embedding: EmbedOptions

    func validate() throws {
        guard (corpus == nil) != (jsonl == nil) else { throw ValidationError("give exactly one of --corpus or --jsonl") }
        guard embedding.configuration != nil else { throw ValidationError("kohybrid embed needs --embed-url and --embed-model") }
        if jsonl != nil, out == nil { throw ValidationError("--jsonl needs --out FILE") }
        guard !name.isEmpty, !name.contains("/") else { throw ValidationError("--name must be a non-empty file-name part") }
    }

    func run() async throws {
        guard let configuration = embedding.configuration else { return }
        let embedder = try CommandEmbedder(configuration, options: embedding, cache: try embedding.openCache(), dimension: nil)
        let started = Date()
        var written: [String] = []
        var texts = 0
        var dimension = 0
        do {
            if let corpus {
                let beir = try BEIRCorpus.load(from: URL(fileURLWithPath: corpus))
                let folder = URL(fileURLWithPath: out ?? corpus)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                let documents = try await embedder.embed(beir.documents.map(\.fullText), role: .document, label: "embedding documents")
                let queries = try await embedder.embed(beir.queries.map(\.text), role: .query, label: "embedding queries")
                dimension = documents.first?.count ?? queries.first?.count ?? 0
                for (stem, vectors) in [("corpus", documents), ("queries", queries)] where !vectors.isEmpty {
                    let url = folder.appendingPathComponent("\(stem).\(name).f32")
                    try VectorMatrix(dimension: dimension, values: vectors.flatMap { $0 }).write(to: url)
                    written.append(url.path)
                }
                texts = documents.count + queries.count
                try writeDimension(dimension, folder: folder, configuration: configuration)
            } else if let jsonl, let out {
                var lines: [String] = []
                let url = URL(fileURLWithPath: jsonl)
                try JSONLines.forEachObject(in: url) { (object, line) throws(DatasetError) in
                    guard case .string(let text)? = object["document"] ?? object["text"] else {
                        throw .malformedLine(path: jsonl, line: line, reason: "no string field \"document\" or \"text\"")
                    }
                    lines.append(text)
                }
                let vectors = try await embedder.embed(lines, role: role, label: "embedding \(url.lastPathComponent)")
                dimension = vectors.first?.count ?? 0
                if dimension > 0 {
                    try VectorMatrix(dimension: dimension, values: vectors.flatMap { $0 }).write(to: URL(fileURLWithPath: out))
                    written.append(out)
                }
                texts = vectors.count
            }
        } catch let error as DatasetError {
            throw CommandFailure(error.description)
        }
        let seconds = Date().timeIntervalSince(started)
        if json {
            var summary = await embedder.report()
            summary["texts"] = texts
            summary["dimension"] = dimension
            summary["files"] = written
            summary["seconds"] = (seconds * 1000).rounded() / 1000
            summary["texts_per_s"] = (Double(texts) / max(seconds, 1e-9) * 10).rounded() / 10
            Terminal.printJSON(summary)
        } else {
            await embedder.printSummary()
            print("\(texts) texts, \(dimension) dimensions, \(String(format: "%.1f", seconds)) s (\(String(format: "%.1f", Double(texts) / max(seconds, 1e-9))) texts/s)")
            for path in written { print("wrote \(path)") }
        }
    }

    /// `embeddings.json` tells `BEIRCorpus.vectors` the dimension; one that says otherwise is
    /// left alone with a warning (it describes other vector files).
    private func writeDimension(_ dimension: Int, folder: URL, configuration: EmbedderConfiguration) throws {
        let url = folder.appendingPathComponent("embeddings.json")
        if FileManager.default.fileExists(atPath: url.path) {
            let existing = BEIRCorpus.embeddingDimension(in: folder)
            if existing != dimension {
                Terminal.error("\(url.path) says dim \(existing.map(String.init) ?? "?"), these vectors have \(dimension); left unchanged")
            }
            return
        }
        let object: [String: Any] = ["model": configuration.model, "dim": dimension, "name": name]
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: url, options: .atomic)
    }
}

extension EmbeddingRole: ExpressibleByArgument {}
