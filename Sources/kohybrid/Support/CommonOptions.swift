import ArgumentParser
import Foundation
import KoHybrid
import KoHybridAnalysis
import KoHybridFusion

// The options several commands share, declared once (`@OptionGroup`), so each is spelled,
// explained, defaulted and checked the same way everywhere. A spelling a command used to have
// is kept as a hidden alias that still works and says, on stderr, what replaced it.

/// `--store DIR`: the store a command reads or writes.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The store directory (it holds store.sqlite and the index snapshots).", valueName: "dir"))
    var store: String

    var url: URL { URL(fileURLWithPath: store) }

    /// The store, opened read-only (readers never wait for or block a writer's batches).
    func openReadOnly() throws -> Store {
        try Store(directory: url, mode: .readOnly)
    }
}

/// `--json`: the result as one JSON value on stdout, for scripts.
struct JSONOutputOptions: ParsableArguments {
    @Flag(help: "Print the result as JSON on stdout (one line, keys sorted); progress and notes stay on stderr.")
    var json = false
}

/// `-k N`: how many hits a search returns.
struct TopKOptions: ParsableArguments {
    static let defaultK = 10
    static let range = 1...10_000

    @Option(name: .short, help: ArgumentHelp("Hits per query (1 to 10,000; default \(TopKOptions.defaultK)).", valueName: "n"))
    var k: Int?

    /// Deprecated spelling (`bench bm25`, `bench ann`): `--k`.
    @Option(name: .customLong("k"), help: .hidden)
    var longK: Int?

    var value: Int { k ?? longK ?? Self.defaultK }

    func validate() throws {
        try Deprecated.check(new: k, "-k", old: longK, "--k")
        guard Self.range.contains(value) else { throw ValidationError("-k must be between 1 and 10,000, got \(value)") }
    }
}

/// `--candidates N`: how many candidates each retriever hands the fusion.
struct CandidatesOptions: ParsableArguments {
    static let range = 1...100_000

    @Option(help: ArgumentHelp("Candidates each retriever gives the fusion (1 to 100,000; default \(Fusion.defaultCandidateDepth)).",
                               valueName: "n"))
    var candidates: Int?

    /// Deprecated spelling (`eval`, `bench fusion`): `--depth`.
    @Option(name: .customLong("depth"), help: .hidden)
    var depth: Int?

    var value: Int { candidates ?? depth ?? Fusion.defaultCandidateDepth }

    func validate() throws {
        try Deprecated.check(new: candidates, "--candidates", old: depth, "--depth")
        guard Self.range.contains(value) else {
            throw ValidationError("--candidates must be between 1 and 100,000, got \(value)")
        }
    }
}

/// `--analyzer PRESET`: the analyzer chain BM25 indexes and queries with.
struct AnalyzerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The analyzer preset (default korean).", valueName: "preset"))
    var analyzer: AnalyzerPreset?

    /// Deprecated spelling (`analyze`, `bench bm25`): `--preset`.
    @Option(name: .customLong("preset"), help: .hidden)
    var preset: AnalyzerPreset?

    /// The preset given, nil when none was (an existing collection keeps its own).
    var given: AnalyzerPreset? { analyzer ?? preset }
    var value: AnalyzerPreset { given ?? .korean }

    func validate() throws {
        try Deprecated.check(new: analyzer, "--analyzer", old: preset, "--preset")
    }
}

/// What `kohybrid search` asks of the store: how many hits, how deep each retriever looks,
/// which retrievers and fusion, and Chroma-style filters. The same fields as the server's
/// search request (`k`, `candidates`, `ef`, `mode`, `fusion`, `where`, `where_document`).
struct SearchOptions: ParsableArguments {
    @OptionGroup var top: TopKOptions
    @OptionGroup var depth: CandidatesOptions

    @Option(help: ArgumentHelp("HNSW efSearch for this query (1 to 100,000; default: the collection's).", valueName: "n"))
    var ef: Int?

    @Option(help: ArgumentHelp("Which retrievers run: dense (vectors), sparse (BM25) or hybrid (both, fused).", valueName: "mode"))
    var mode = SearchModeChoice(.hybrid)

    @Option(help: ArgumentHelp("How hybrid mode fuses the two lists.", valueName: "fusion"))
    var fusion: FusionChoice?

    @Option(name: .customLong("where"), help: ArgumentHelp("Metadata filter as JSON (Chroma `where`).", valueName: "json"))
    var whereJSON: String?

    @Option(name: .customLong("where-document"), help: ArgumentHelp("Document filter as JSON (Chroma `where_document`).", valueName: "json"))
    var whereDocumentJSON: String?

    func validate() throws {
        if let ef, !(1...100_000).contains(ef) { throw ValidationError("--ef must be between 1 and 100,000, got \(ef)") }
        if let fusion {
            guard mode.retrievers == .hybrid else { throw ValidationError("--fusion goes with --mode hybrid, not --mode \(mode.retrievers.rawValue)") }
            if let implied = mode.fusion, implied != fusion {
                throw ValidationError("--mode \(implied.rawValue) already names a fusion; give --mode hybrid --fusion \(fusion.rawValue)")
            }
        }
        _ = try filter()
        _ = try documentFilter()
    }

    var searchMode: SearchMode {
        switch mode.retrievers {
        case .dense: .dense
        case .sparse: .sparse
        case .hybrid: (fusion ?? mode.fusion ?? .default).mode
        }
    }

    func filter() throws -> Filter? {
        do { return try whereJSON.map { try Filter(json: $0) } } catch {
            throw Self.filterError("--where", error)
        }
    }

    func documentFilter() throws -> DocumentFilter? {
        do { return try whereDocumentJSON.map { try DocumentFilter(json: $0) } } catch {
            throw Self.filterError("--where-document", error)
        }
    }

    /// The option, then the parser's message (which names the place inside the filter,
    /// `where.price: ...`; a bare `where: ` adds nothing to the option's name).
    private static func filterError(_ option: String, _ error: some Error) -> ValidationError {
        let message = "\(error)"
        for field in ["where_document: ", "where: "] where message.hasPrefix(field) {
            return ValidationError("\(option): \(message.dropFirst(field.count))")
        }
        return ValidationError("\(option): \(message)")
    }

    /// The query these options describe, for `text` (the vector comes later).
    func query(text: String?) throws -> SearchQuery {
        var query = SearchQuery(text: text, k: top.value, mode: searchMode, candidateDepth: depth.value, efSearch: ef)
        query.filter = try filter()
        query.documentFilter = try documentFilter()
        return query
    }
}

/// Old option spellings that still work.
enum Deprecated {
    /// Refuses the old and new spelling given together with different values, and notes on
    /// stderr that the old one is deprecated.
    static func check<Value: Equatable>(new: Value?, _ newName: String, old: Value?, _ oldName: String) throws {
        guard let old else { return }
        if let new, new != old { throw ValidationError("\(oldName) is the old spelling of \(newName): give one of them") }
        note(oldName, newName)
    }

    static func note(_ oldName: String, _ newName: String) {
        Terminal.note("\(oldName) is deprecated; use \(newName)")
    }
}
