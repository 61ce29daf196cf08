import ArgumentParser
import Foundation
import KoHybrid
import KoHybridAnalysis
import KoHybridChroma
import KoHybridDense
import KoHybridEmbedding
import KoHybridEvaluation

// Every closed set of choices is an `ExpressibleByArgument` type, so `--help` lists the values
// and a wrong one is refused while parsing, naming the option and the choices.

extension DistanceMetric: ExpressibleByArgument {}
extension AnalyzerPreset: ExpressibleByArgument {}
extension ChromaSpace: ExpressibleByArgument {}
extension EmbeddingRole: ExpressibleByArgument {}
extension EmbeddingEncoding: ExpressibleByArgument {}
extension Sweep: ExpressibleByArgument {}

/// `--mode`: which retrievers run (dense, sparse or hybrid). Hybrid's fusion is `--fusion`; a
/// fusion name is still accepted here as it always was (`--mode rrf` is `--mode hybrid --fusion
/// rrf`), and `bm25` is `sparse`.
struct SearchModeChoice: ExpressibleByArgument, Equatable {
    enum Retrievers: String, CaseIterable { case dense, sparse, hybrid }

    var retrievers: Retrievers
    /// The fusion a fusion-named mode implies.
    var fusion: FusionChoice?

    init(_ retrievers: Retrievers, fusion: FusionChoice? = nil) {
        self.retrievers = retrievers
        self.fusion = fusion
    }

    init?(argument: String) {
        if let retrievers = Retrievers(rawValue: argument) {
            self.init(retrievers)
        } else if argument == "bm25" {
            self.init(.sparse)
        } else if let fusion = FusionChoice(rawValue: argument), fusion != .default {
            self.init(.hybrid, fusion: fusion)
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] { Retrievers.allCases.map(\.rawValue) }
    var defaultValueDescription: String { fusion?.rawValue ?? retrievers.rawValue }
}

/// `--fusion`: how hybrid mode fuses the dense and BM25 lists (the server's `fusion` field).
enum FusionChoice: String, ExpressibleByArgument, CaseIterable {
    /// `Fusion.hybridDefault`: the fusion `kohybrid eval` marks "(default)".
    case `default`
    case adaptive
    /// `Fusion.previousDefault`: relative score fusion with 0.3 on dense.
    case rsf03 = "rsf-0.3"
    case rrf, rsf, dbsf

    static var allValueDescriptions: [String: String] {
        ["default": "the default fusion (the one `kohybrid eval` marks \"(default)\")",
         "adaptive": "min-max fusion with weights chosen per query",
         "rsf-0.3": "relative score fusion, 0.3 on dense (the previous default)",
         "rrf": "reciprocal rank fusion, k = 60", "rsf": "relative score (min-max) fusion, equal weights",
         "dbsf": "distribution-based score fusion"]
    }

    var mode: SearchMode {
        // SearchMode's own names, so the CLI and the store can never disagree on what a name means.
        SearchMode(name: self == .default ? "hybrid" : rawValue) ?? .hybrid(.hybridDefault)
    }
}

/// `--format` of `kohybrid export`.
enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case jsonl
}

/// An analyzer step `kohybrid bench bm25 --without` can turn off.
enum AnalyzerStep: String, ExpressibleByArgument, CaseIterable {
    case scripts, normalize, particles, endings, dictionary, stopwords, words, bigrams

    func turnOff(in configuration: inout AnalyzerConfiguration) {
        switch self {
        case .scripts: configuration.splitScripts = false
        case .normalize: configuration.normalize = false
        case .particles: configuration.stripParticles = false
        case .endings: configuration.stripEndings = false
        case .dictionary: configuration.dictionary = nil
        case .stopwords: configuration.stopwords = []
        case .words: configuration.words = false
        case .bigrams: configuration.bigrams = false
        }
    }
}

/// One of `kohybrid eval`'s mode names (`dense`, `hybrid-rrf`, ...).
struct EvaluationModeName: ExpressibleByArgument, Hashable {
    var name: String

    init?(argument: String) {
        guard Self.allValueStrings.contains(argument) else { return nil }
        name = argument
    }

    static var allValueStrings: [String] { EvaluationMode.standard().map(\.name) }
}

/// A comma-separated list of values of one kind (`--modes dense,sparse`): parsed and checked
/// while the arguments are read, and `--help` lists the values an item may take.
struct CommaSeparated<Item: ExpressibleByArgument>: ExpressibleByArgument {
    var items: [Item]
    /// The items as given, spaces around commas dropped.
    var text: String

    init?(argument: String) {
        var items: [Item] = []
        var parts: [String] = []
        for part in argument.split(separator: ",") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            guard let item = Item(argument: trimmed) else { return nil }
            items.append(item)
            parts.append(trimmed)
        }
        guard !items.isEmpty else { return nil }
        self.items = items
        text = parts.joined(separator: ",")
    }

    var defaultValueDescription: String { text }

    static var allValueStrings: [String] { Item.allValueStrings }
    static var defaultCompletionKind: CompletionKind { Item.allValueStrings.isEmpty ? .default : .list(Item.allValueStrings) }
}
