import ArgumentParser

@main
struct KoHybridCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kohybrid",
        abstract: "Hybrid dense + sparse (BM25) retrieval for Korean text.",
        discussion: """
        A store is one directory holding collections of records (id, document, metadata,
        vector). Search fuses a Korean BM25 index with an HNSW vector index.

        Start here:
          kohybrid eval --corpus Corpora/shops
              compare dense, sparse and hybrid search on labeled queries
          kohybrid analyze "스시오마카세는 근처의 맛집"
              see the terms the analyzer indexes
          kohybrid ingest --store ./store --collection c --jsonl records.jsonl
          kohybrid search --store ./store --collection c --text "오마카세 예약"
          kohybrid embed --corpus ./my-corpus --embed-url URL --embed-model M
              turn text into vectors through an OpenAI-compatible server
          kohybrid migrate chroma ./chroma-persist --to ./store
        """,
        subcommands: [
            EvalCommand.self,
            AnalyzeCommand.self,
            IngestCommand.self,
            EmbedCommand.self,
            SearchCommand.self,
            StatsCommand.self,
            BackupCommand.self,
            RestoreCommand.self,
            MigrateCommand.self,
            ExportCommand.self,
            BenchCommand.self,
        ]
    )
}

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (build with -c release): each prints one JSON object per result.",
        subcommands: [BenchBM25Command.self, BenchANNCommand.self, BenchSearchCommand.self]
    )
}
