import Foundation
import KoHybridAnalysis
import KoHybridDatasets
import KoHybridTestSupport

/// A few hundred real kobest-boolq passages and the queries judged against them.
enum Fixtures {
    struct Sample: Sendable {
        var documents: [[Term]]
        var queries: [[Term]]
    }

    static let corpus: BEIRCorpus? = try? BEIRCorpus.load(from: SharedData.corpus("kobest-boolq"))

    static func sample(documents count: Int = 400, analyzer: Analyzer = Analyzer()) -> Sample? {
        guard let corpus else { return nil }
        let documents = corpus.documents.prefix(count)
        let ids = Set(documents.map(\.id))
        let queries = corpus.judgedQueries.filter { query in corpus.qrels[query.id]?.keys.contains(where: ids.contains) ?? false }
        return Sample(documents: documents.map { analyzer.analyze($0.fullText) },
                      queries: queries.map { analyzer.analyze($0.text) })
    }

}
