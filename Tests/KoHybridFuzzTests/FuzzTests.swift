import Foundation
import KoHybridTestSupport
import Testing

/// Seeded mutation fuzzing of every reader of user data (issue 12): the filter parser, the JSONL
/// record readers, the pickle reader and the Chroma directory reader (`FuzzTargets`). The only
/// acceptable outcomes are a value or a thrown typed error; a trap kills the test process and
/// fails CI. Counts are sized for about 30 s in all on two cores (debug build);
/// `KOHYBRID_FUZZ_SECONDS=600 swift test --filter KoHybridFuzzTests` runs a longer campaign
/// (`FuzzCampaign` lists the other knobs). Inputs that once crashed are in `FuzzRegressionTests`.
@Suite(.serialized) struct FuzzTests {
    @Test func filterParser() throws {
        let campaign = FuzzCampaign(target: "filter", ciExecutions: 20_000)
        var mutator = Mutator(seeds: (FuzzSeeds.filters + FuzzSeeds.documentFilters).map { Array($0.utf8) },
                              tokens: Mutator.jsonTokens, json: true, seed: campaign.seed)
        let tally = campaign.run(&mutator) { (bytes) throws in
            try FuzzTargets.filter(bytes) { ok, message in #expect(ok, Comment(rawValue: message)) }
        }
        #expect(tally.values > 0 && tally.executions > tally.values, "the seeds parse and the mutants reach the errors")
    }

    @Test(.needsSharedData) func jsonLinesRecordReaders() throws {
        let campaign = FuzzCampaign(target: "jsonl", ciExecutions: 5_000)
        let folder = SharedData.temporaryDirectory("kohybrid-fuzz-jsonl")
        defer { try? FileManager.default.removeItem(at: folder) }
        var mutator = Mutator(seeds: FuzzSeeds.jsonLinesFiles() + FuzzSeeds.getDumps(),
                              tokens: Mutator.jsonTokens, json: true, seed: campaign.seed)
        let tally = campaign.run(&mutator) { (bytes) throws in try FuzzTargets.jsonLines(bytes, in: folder) }
        #expect(tally.values > 0 && tally.executions > tally.values)
    }

    @Test(.needsSharedData) func pickleReader() throws {
        let campaign = FuzzCampaign(target: "pickle", ciExecutions: 25_000)
        let seeds = FuzzSeeds.pickles()
        try #require(seeds.count >= 10, "the Chroma fixtures' pickles are the seeds (\(FuzzSeeds.chromaFixtures.path))")
        var mutator = Mutator(seeds: seeds, tokens: FuzzSeeds.pickleTokens, seed: campaign.seed)
        let tally = campaign.run(&mutator) { (bytes) throws in try FuzzTargets.pickle(bytes) }
        #expect(tally.values > 0 && tally.executions > tally.values)
    }

    @Test(.needsSharedData) func chromaPersistedDirectories() throws {
        let campaign = FuzzCampaign(target: "chroma-directory", ciExecutions: 300)
        let work = SharedData.temporaryDirectory("kohybrid-fuzz-chroma")
        defer { try? FileManager.default.removeItem(at: work) }
        let fixtures = try FuzzSeeds.chromaFixtureVersions.map { try ChromaDirectoryCopy(version: $0, under: work) }
        try #require(fixtures.allSatisfy { $0.files.contains { $0.path == "chroma.sqlite3" } },
                     "the Chroma fixtures are the seeds (\(FuzzSeeds.chromaFixtures.path))")
        // The inputs are damaged files on disk, drawn by `damager`; `inputs` only paces the loop.
        var inputs = Mutator(seeds: [[0]], seed: campaign.seed)
        var damager = Mutator(seeds: [[0]], seed: campaign.seed)
        let tally = campaign.run(&inputs) { (_) throws in
            let fixture = damager.pick(fixtures)
            let damage = fixture.damage(using: &damager)
            defer { fixture.restore(damage) }
            try FuzzTargets.chromaDirectory(fixture.persist)
        }
        #expect(tally.values > 0 && tally.executions > tally.values)
    }
}

extension FuzzSeeds {
    static var chromaFixtures: URL { SharedData.chromaFixtures }
}
