import ArgumentParser
import Foundation
import KoHybrid
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
        With --corpus DIR, writes corpus.<model>.f32 (documents, title and text as one passage) \
        and queries.<model>.f32 (every query) into --output (default DIR), rows in file order, and \
        embeddings.json (the dimension) when the folder has none. With --jsonl FILE, embeds each \
        line's "document" (or "text") into --output FILE.f32, one row per line; --role says which \
        side the texts are on.

        Vectors go through the vector cache: a re-run makes no request for texts already \
        embedded. A summary (requests, cache hits and misses, texts/s) goes to stderr, or stdout \
        with --json: {texts, dimension, files, seconds, texts_per_s, requests, retries, \
        texts_sent, cache_hits, cache_misses, cache}.

        Examples:
          kohybrid embed --corpus ./my-corpus --model e5-small \\
              --embed-url http://127.0.0.1:8080/v1 --embed-model e5-small --embed-input-type
          kohybrid embed --jsonl questions.jsonl --role query --output questions.f32 \\
              --embed-url https://api.openai.com/v1 --embed-model text-embedding-3-small
        """
    )

    @Option(help: "A BEIR-layout folder (corpus.jsonl, queries.jsonl).") var corpus: String?
    @Option(help: "A JSONL file with one text per line (\"document\" or \"text\").") var jsonl: String?
    @Option(help: ArgumentHelp("Where to write: a folder for --corpus (default the corpus), a file for --jsonl.", valueName: "path"))
    var output: String?
    /// Deprecated spelling: `--out` (a file or folder written is `--output` everywhere).
    @Option(name: .customLong("out"), help: .hidden) var out: String?
    @Option(help: ArgumentHelp("The <model> in corpus.<model>.f32 and queries.<model>.f32, the name `eval --model` reads (default embedded).",
                               valueName: "model")) var model: String?
    /// Deprecated spelling: `--name`.
    @Option(name: .customLong("name"), help: .hidden) var oldName: String?

    private var name: String { model ?? oldName ?? "embedded" }
    @Option(help: "With --jsonl: query or document.") var role = EmbeddingRole.document
    @OptionGroup var jsonOutput: JSONOutputOptions
    @OptionGroup(title: "Embedding") var embedding: EmbedOptions

    func validate() throws {
        guard (corpus == nil) != (jsonl == nil) else { throw ValidationError("give exactly one of --corpus or --jsonl") }
        guard embedding.configuration != nil else { throw ValidationError("kohybrid embed needs --embed-url and --embed-model") }
        try Deprecated.check(new: output, "--output", old: out, "--out")
        if jsonl != nil, destination == nil { throw ValidationError("--jsonl needs --output FILE") }
        try Deprecated.check(new: model, "--model", old: oldName, "--name")
        guard !name.isEmpty, !name.contains("/") else { throw ValidationError("--model must be a non-empty file-name part") }
    }

    private var destination: String? { output ?? out }

    /// What one run embedded and wrote.
    private struct Written {
        var texts = 0
        var dimension = 0
        var files: [String] = []
    }

    func run() async throws {
        guard let configuration = embedding.configuration else { return }
        let embedder = try CommandEmbedder(configuration, options: embedding, cache: try embedding.openCache(), dimension: nil)
        let started = Date()
        let written: Written
        do {
            if let corpus {
                written = try await embedCorpus(corpus, with: embedder, configuration: configuration)
            } else {
                written = try await embedLines(jsonl ?? "", into: destination ?? "", with: embedder)
            }
        } catch let error as DatasetError {
            throw CommandFailure(error.description)
        }
        try await report(written, seconds: Date().timeIntervalSince(started), embedder: embedder)
    }

    /// `--corpus DIR`: corpus.<model>.f32 and queries.<model>.f32, and embeddings.json.
    private func embedCorpus(_ corpus: String, with embedder: CommandEmbedder, configuration: EmbedderConfiguration) async throws -> Written {
        let beir = try BEIRCorpus.load(from: URL(fileURLWithPath: corpus))
        let folder = URL(fileURLWithPath: destination ?? corpus)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let documents = try await embedder.embed(beir.documents.map(\.fullText), role: .document, label: "embedding documents")
        let queries = try await embedder.embed(beir.queries.map(\.text), role: .query, label: "embedding queries")
        var written = Written(texts: documents.count + queries.count, dimension: documents.first?.count ?? queries.first?.count ?? 0)
        for (stem, vectors) in [("corpus", documents), ("queries", queries)] where !vectors.isEmpty {
            let url = folder.appendingPathComponent("\(stem).\(name).f32")
            try VectorMatrix(dimension: written.dimension, values: vectors.flatMap { $0 }).write(to: url)
            written.files.append(url.path)
        }
        try writeDimension(written.dimension, folder: folder, configuration: configuration)
        return written
    }

    /// `--jsonl FILE`: each line's "document" (or "text") as one row of the output file.
    private func embedLines(_ jsonl: String, into output: String, with embedder: CommandEmbedder) async throws -> Written {
        var lines: [String] = []
        let url = URL(fileURLWithPath: jsonl)
        try JSONLines.forEachObject(in: url) { (object, line) throws(DatasetError) in
            guard case .string(let text)? = object["document"] ?? object["text"] else {
                throw .malformedLine(path: jsonl, line: line, reason: "no string field \"document\" or \"text\"")
            }
            lines.append(text)
        }
        let vectors = try await embedder.embed(lines, role: role, label: "embedding \(url.lastPathComponent)")
        var written = Written(texts: vectors.count, dimension: vectors.first?.count ?? 0)
        if written.dimension > 0 {
            try VectorMatrix(dimension: written.dimension, values: vectors.flatMap { $0 }).write(to: URL(fileURLWithPath: output))
            written.files.append(output)
        }
        return written
    }

    private func report(_ written: Written, seconds: Double, embedder: CommandEmbedder) async throws {
        let rate = Double(written.texts) / max(seconds, 1e-9)
        if jsonOutput.json {
            var summary = await embedder.report()
            summary["texts"] = written.texts
            summary["dimension"] = written.dimension
            summary["files"] = written.files
            summary["seconds"] = roundedSeconds(seconds)
            summary["texts_per_s"] = (rate * 10).rounded() / 10
            Terminal.printJSON(JSONValue.fields(summary))
        } else {
            await embedder.printSummary()
            print("\(written.texts) texts, \(written.dimension) dimensions, \(String(format: "%.1f", seconds)) s (\(String(format: "%.1f", rate)) texts/s)")
            for path in written.files { print("wrote \(path)") }
        }
    }

    /// `embeddings.json` tells `BEIRCorpus.vectors` the dimension; one that says otherwise is
    /// left alone with a warning (it describes other vector files).
    private func writeDimension(_ dimension: Int, folder: URL, configuration: EmbedderConfiguration) throws {
        let url = folder.appendingPathComponent("embeddings.json")
        if FileManager.default.fileExists(atPath: url.path) {
            let existing = BEIRCorpus.embeddingDimension(in: folder)
            if existing != dimension {
                Terminal.note("\(url.path) says dim \(existing.map(String.init) ?? "?"), these vectors have \(dimension); left unchanged")
            }
            return
        }
        let object: [String: Any] = ["model": configuration.model, "dim": dimension, "name": name]
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: url, options: .atomic)
    }
}

