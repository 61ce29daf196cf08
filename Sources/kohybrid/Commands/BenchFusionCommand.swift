import ArgumentParser
import Foundation
import KoHybrid
import KoHybridEvaluation
import KoHybridFusion

/// `kohybrid bench fusion`: what fusion costs per query, beside the two searches it fuses.
struct BenchFusionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fusion",
        abstract: "Measure each fusion's time per query at a candidate depth, against the searches it fuses.",
        discussion: """
        Builds the dense and BM25 indexes of a BEIR corpus (as kohybrid eval does), retrieves every
        judged query's candidate lists on one thread, then fuses each query's two lists (cut to
        --candidates) with every fusion method, best of --repeats passes, top 100 kept. Prints one JSON
        line per fusion: fusion, depth, queries, fusion_us (microseconds per query), retrieval_us
        (dense + sparse search per query on the same thread) and share (fusion / retrieval).
        Build with -c release.

        Examples:
          swift run -c release kohybrid bench fusion --corpus ../shared/corpora/kobest-boolq
          kohybrid bench fusion --corpus Corpora/shops --candidates 200 --repeats 3
        """
    )

    @Option(help: "BEIR corpus directory with precomputed vectors.")
    var corpus: String

    @OptionGroup var candidates: CandidatesOptions

    @Option(help: "Timed passes over every query; the best is reported.")
    var repeats = 5

    @Option(help: "Vector file model name: corpus.<model>.f32 and queries.<model>.f32.")
    var model = "e5-small"

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
    }

    func run() async throws {
        let depth = candidates.value
        var options = RetrievalExperiment.Options()
        options.threads = 1
        let experiment = try RetrievalExperiment.load(from: URL(fileURLWithPath: corpus), model: model, options: options)
        let fusions = EvaluationMode.standardFusions + [Fusion.previousDefault, Fusion.hybridDefault]
        for fusion in fusions {
            let cost = experiment.fusionCost(fusion, depth: depth, repeats: repeats)
            Terminal.printJSON(JSONValue.fields([
                "corpus": experiment.corpusName, "fusion": fusion.description, "default": fusion == Fusion.hybridDefault,
                "depth": depth, "queries": experiment.queryIDs.count, "kernel": DistanceKernel.active,
                "fusion_us": (cost.fusion * 1e7).rounded() / 10, "retrieval_us": (cost.retrieval * 1e7).rounded() / 10,
                "share": (cost.fusion / max(cost.retrieval, 1e-12) * 1e4).rounded() / 1e4,
            ]))
        }
    }
}
