import ArgumentParser
import Foundation

@main
struct KoHybridCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kohybrid",
        abstract: "Hybrid dense + sparse (BM25) retrieval for Korean text.",
        discussion: """
        A store is one directory holding collections of records (id, document, metadata, \
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
          kohybrid migrate chroma ./chroma-persist --store ./store
        """,
        subcommands: [
            EvalCommand.self,
            AnalyzeCommand.self,
            IngestCommand.self,
            EmbedCommand.self,
            SearchCommand.self,
            StatsCommand.self,
            CheckCommand.self,
            BackupCommand.self,
            RestoreCommand.self,
            MigrateCommand.self,
            ExportCommand.self,
            ServeCommand.self,
            BenchCommand.self,
        ]
    )
}

extension KoHybridCommand {
    /// Every command's errors end here, so they all read the same: `error: <what and where>` on
    /// stderr and a non-zero exit status; usage errors (a bad option, a failed `validate()`) add
    /// the usage line and exit 64. No command prints its own errors or a stack trace.
    /// (ArgumentParser's hook for the prefix of the messages it prints.)
    static var _errorPrefix: String { "error: " }

    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let problem = unknownHelpTopic(arguments) {
            // `kohybrid help TOPIC` with a TOPIC that is no subcommand: ArgumentParser alone
            // would print the top-level help and exit 0, hiding the typo.
            Terminal.error(problem)
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        do {
            var command = try await asyncParseAsRoot(arguments)
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            Terminal.error(failure.description)
            Foundation.exit(failure.status.rawValue)
        } catch {
            exit(withError: error)
        }
    }

    /// Why `help A B ...` names no command, or nil when it does (or is not a help request).
    static func unknownHelpTopic(_ arguments: [String]) -> String? {
        guard arguments.first == "help" else { return nil }
        var command: ParsableCommand.Type = KoHybridCommand.self
        var path = ["kohybrid"]
        for topic in arguments.dropFirst() where !topic.hasPrefix("-") {
            let subcommands = command.configuration.subcommands
            guard let next = subcommands.first(where: { $0.configuration.commandName == topic || $0.configuration.aliases.contains(topic) }) else {
                let names = subcommands.compactMap { $0.configuration.commandName }
                return "'\(topic)' is not a command of '\(path.joined(separator: " "))'" + (names.isEmpty ? "" : "; commands: \(names.joined(separator: ", "))")
            }
            command = next
            path.append(topic)
        }
        return nil
    }
}

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (build with -c release): each prints one JSON object per result.",
        discussion: """
        The fields match the peers' scripts under Evaluation/ where there is a peer, so runs \
        can be put side by side; on a shared machine, compare ratios taken in the same run.

        Examples:
          swift build -c release
          .build/release/kohybrid bench bm25 --corpus ../shared/corpora/kobest-boolq --json
          .build/release/kohybrid bench search --corpus ../shared/corpora/kobest-boolq --records 60000
        """,
        subcommands: [BenchBM25Command.self, BenchANNCommand.self, BenchSearchCommand.self, BenchFusionCommand.self]
    )
}
