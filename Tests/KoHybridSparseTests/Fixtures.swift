import Foundation
import KoHybridAnalysis
import KoHybridDatasets
import KoHybridTestSupport

/// A few hundred real Korean passages and the queries judged against them, from `Corpora/shops`
/// (bundled in the repository, so these tests run on every checkout).
enum Fixtures {
    struct Sample: Sendable {
        var documents: [[Term]]
        var queries: [[Term]]
    }

    static let corpus = Result { try BEIRCorpus.load(from: SharedData.shopsCorpus) }

    static func sample(documents count: Int = 400, analyzer: Analyzer = Analyzer()) throws -> Sample {
        let corpus = try corpus.get()
        let documents = corpus.documents.prefix(count)
        let ids = Set(documents.map(\.id))
        let queries = corpus.judgedQueries.filter { query in corpus.qrels[query.id]?.keys.contains(where: ids.contains) ?? false }
        return Sample(documents: documents.map { analyzer.analyze($0.fullText) },
                      queries: queries.map { analyzer.analyze($0.text) })
    }

}
