import Foundation
import KoHybrid
import KoHybridTestSupport
import Testing

/// Issue 13, item 5: the `kohybrid` commands follow one set of conventions. Choices are
/// listed by `--help` and refused while parsing; argument checks fail in `validate()` with exit
/// status 64 before anything is opened; old spellings keep working, hidden and noted on stderr;
/// every `--json` goes through one encoder; every error reads `error: ...` with no trace.
@Suite struct CommandLineConventionTests {
    typealias Outcome = CommandLineTrustTests.Outcome

    static func run(_ arguments: [String]) throws -> Outcome { try CommandLineTrustTests.run(arguments) }

    /// A store with one small collection `c` (two-dimensional vectors, integer metadata).
    static func makeStore(_ name: String) throws -> (folder: URL, store: String) {
        let folder = SharedData.temporaryDirectory(name)
        let jsonl = folder.appendingPathComponent("r.jsonl")
        try Data("""
            {"id": "a", "document": "스시 오마카세", "metadata": {"price": 120000}, "embedding": [1, 0]}
            {"id": "b", "document": "한우 오마카세", "metadata": {"price": 90000}, "embedding": [0.6, 0.8]}
            {"id": "c", "document": "웨이팅 맛집", "metadata": {"price": 4}, "embedding": [0, 1]}

            """.utf8).write(to: jsonl)
        let store = folder.appendingPathComponent("store").path
        let ingest = try run(["ingest", "--store", store, "--collection", "c", "--jsonl", jsonl.path])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        return (folder, store)
    }

    /// stdout is exactly one line of JSON as `JSONValue.jsonText` writes it (keys sorted).
    static func oneEncoderLine(_ stdout: String) throws -> JSONValue {
        #expect(stdout.hasSuffix("\n") && stdout.filter { $0 == "\n" }.count == 1, "not one line: \(stdout)")
        let text = stdout.trimmingCharacters(in: .newlines)
        let value = try JSONValue(parsing: text)
        #expect(value.jsonText == text, "not the one encoder's form: \(text)")
        return value
    }

    /// Help text with its line wrapping undone (it wraps at the terminal's width).
    static func flattened(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func keys(_ value: JSONValue) -> Set<String> {
        guard case .object(let members) = value else { return [] }
        return Set(members.keys)
    }

    @Test func validateRefusesMeaninglessCombinationsBeforeOpeningAnything() throws {
        let missing = SharedData.temporaryDirectory("kohybrid-cli-validate").appendingPathComponent("no-store").path
        // Each fails in validate(): usage status 64, the problem named, and the store (which
        // does not exist) never opened.
        let cases: [([String], String)] = [
            (["search", "--store", missing, "--collection", "c", "--text", "x", "--mode", "dense", "--fusion", "rrf"],
             "--fusion goes with --mode hybrid"),
            (["search", "--store", missing, "--collection", "c", "--text", "x", "--mode", "rrf", "--fusion", "dbsf"],
             "--mode rrf already names a fusion"),
            (["search", "--store", missing, "--collection", "c", "--text", "x", "--where", #"{"price": {"$lte": "x"}}"#],
             "--where: where.price: $lte needs a number"),
            (["bench", "bm25", "--corpus", missing, "-k", "0"], "-k must be between 1 and 10,000, got 0"),
            (["eval", "--corpus", missing, "--candidates", "0"], "--candidates must be between 1 and 100,000, got 0"),
            (["eval", "--corpus", missing, "--store", missing], "give --corpus or --store, not both"),
            (["backup", "--store", missing], "--output is required"),
            (["migrate", "chroma", missing], "--store is required"),
        ]
        for (arguments, message) in cases {
            let result = try Self.run(arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("no store here"), "validate() ran after opening: \(result.stderr)")
        }
    }

    @Test func choicesAreListedAndUnknownOnesRefused() throws {
        let search = try Self.run(["search", "--help"])
        #expect(search.status == 0)
        #expect(Self.flattened(search.stdout).contains("values: dense, sparse, hybrid; default: hybrid"), "\(search.stdout)")
        for fusion in ["default", "adaptive", "rsf-0.3", "rrf", "rsf", "dbsf"] {
            #expect(search.stdout.contains("  \(fusion) "), "--fusion \(fusion) not listed")
        }
        let ingest = Self.flattened(try Self.run(["ingest", "--help"]).stdout)
        #expect(ingest.contains("korean-no-bigrams") && ingest.contains("values: cosine, ip, l2"), "\(ingest)")
        let eval = try Self.run(["eval", "--help"])
        #expect(eval.stdout.contains("hybrid-adaptive") && eval.stdout.contains("rrf-k"), "\(eval.stdout)")
        // Every command teaches by example.
        for command in [["search"], ["ingest"], ["eval"], ["backup"], ["restore"], ["stats"], ["check"], ["export"],
                        ["analyze"], ["embed"], ["serve"], ["migrate", "chroma"], ["bench", "bm25"], ["bench", "ann"],
                        ["bench", "search"], ["bench", "fusion"]] {
            let help = try Self.run(command + ["--help"])
            #expect(help.status == 0 && help.stdout.contains("kohybrid \(command.joined(separator: " ")) "),
                    "\(command) --help shows no example invocation")
        }
        for (arguments, option) in [(["analyze", "x", "--analyzer", "nope"], "--analyzer"),
                                    (["eval", "--corpus", "x", "--modes", "dense,bogus"], "--modes"),
                                    (["export", "--store", "x", "--format", "csv"], "--format")] {
            let result = try Self.run(arguments)
            #expect(result.status == 64 && result.stderr.hasPrefix("error: ") && result.stderr.contains(option), "\(arguments): \(result.stderr)")
        }
    }

    @Test func oldSpellingsStillWorkHiddenAndNoted() throws {
        let (folder, store) = try Self.makeStore("kohybrid-cli-aliases")
        defer { try? FileManager.default.removeItem(at: folder) }

        // backup --to FILE: the old name of --output.
        let old = folder.appendingPathComponent("old.kohybrid").path
        let viaTo = try Self.run(["backup", "--store", store, "--to", old])
        #expect(viaTo.status == 0 && FileManager.default.fileExists(atPath: old), "\(viaTo.stderr)")
        #expect(viaTo.stderr.contains("note: --to is deprecated; use --output"), "\(viaTo.stderr)")
        let new = folder.appendingPathComponent("new.kohybrid").path
        let viaOutput = try Self.run(["backup", "--store", store, "--output", new])
        #expect(viaOutput.status == 0 && FileManager.default.fileExists(atPath: new) && !viaOutput.stderr.contains("deprecated"))
        let both = try Self.run(["backup", "--store", store, "--output", new, "--to", old])
        #expect(both.status == 64 && both.stderr.contains("--to is the old spelling of --output"), "\(both.stderr)")
        #expect(!(try Self.run(["backup", "--help"])).stdout.contains("--to"), "a deprecated alias shows in --help")

        // migrate chroma SOURCE --to DIR: the old name of --store.
        let export = folder.appendingPathComponent("all.jsonl").path
        #expect(try Self.run(["export", "--store", store, "--output", export]).status == 0)
        let migrated = folder.appendingPathComponent("migrated").path
        let migrate = try Self.run(["migrate", "chroma", export, "--to", migrated, "--space", "cosine", "--json"])
        #expect(migrate.status == 0 && migrate.stderr.contains("note: --to is deprecated; use --store"), "\(migrate.stderr)")
        #expect(try Self.oneEncoderLine(migrate.stdout) != .null)
        let stats = try Self.oneEncoderLine(try Self.run(["stats", "--store", migrated, "--json"]).stdout)
        guard case .object(let members) = stats, case .array(let collections)? = members["collections"],
              case .object(let collection)? = collections.first else {
            Issue.record("stats --json: \(stats.jsonText)")
            return
        }
        #expect(collection["count"] == .int(3) && collection["metric"] == .string("cosine"))

        // analyze --preset and bench bm25 --preset / --k: the old names of --analyzer and -k.
        let viaPreset = try Self.run(["analyze", "스시오마카세는", "--preset", "bigram", "--json"])
        let viaAnalyzer = try Self.run(["analyze", "스시오마카세는", "--analyzer", "bigram", "--json"])
        #expect(viaPreset.status == 0 && viaPreset.stdout == viaAnalyzer.stdout && !viaPreset.stdout.isEmpty)
        #expect(viaPreset.stderr.contains("note: --preset is deprecated; use --analyzer"))
        let shops = SharedData.repositoryRoot.appendingPathComponent("Corpora/shops").path
        let bm25 = try Self.run(["bench", "bm25", "--corpus", shops, "--preset", "bigram", "--k", "3", "--repeats", "1", "--json"])
        let value = try Self.oneEncoderLine(bm25.stdout)
        guard case .object(let result) = value else { Issue.record("bench bm25 --json: \(bm25.stdout)"); return }
        #expect(result["preset"] == .string("bigram") && result["k"] == .int(3), "\(bm25.stdout)")
        #expect(bm25.stderr.contains("--k is deprecated; use -k"), "\(bm25.stderr)")
        // qps is a whole number, printed as one.
        if case .int? = result["qps"] {} else { Issue.record("qps: \(String(describing: result["qps"]))") }

        // search --mode <fusion>: the older spelling of --mode hybrid --fusion <fusion>.
        let text = ["search", "--store", store, "--collection", "c", "--text", "오마카세", "--vector-file"]
        let vector = folder.appendingPathComponent("q.f32")
        try CommandLineTrustTests.floats([0.6, 0.8], to: vector)
        let legacy = try Self.run(text + [vector.path, "--mode", "rrf", "--json"])
        let current = try Self.run(text + [vector.path, "--mode", "hybrid", "--fusion", "rrf", "--json"])
        let implied = try Self.run(text + [vector.path, "--fusion", "rrf", "--json"])
        #expect(legacy.status == 0 && legacy.stdout == current.stdout && current.stdout == implied.stdout, "\(legacy.stderr)")
        let adaptive = try Self.run(text + [vector.path, "--json"])
        #expect(adaptive.stdout != legacy.stdout, "--fusion rrf ran the default fusion")

        // search --vector-file: the older spelling of --query-vectors (eval's name for the same file).
        let renamed = try Self.run(["search", "--store", store, "--collection", "c", "--text", "오마카세",
                                    "--query-vectors", vector.path, "--mode", "hybrid", "--fusion", "rrf", "--json"])
        #expect(renamed.status == 0 && renamed.stdout == current.stdout && !renamed.stderr.contains("deprecated"), "\(renamed.stderr)")
        #expect(current.stderr.contains("note: --vector-file is deprecated; use --query-vectors"), "\(current.stderr)")
        #expect(!(try Self.run(["search", "--help"])).stdout.contains("--vector-file"), "a deprecated alias shows in --help")
    }

    @Test func jsonOutputHasOneShape() throws {
        let (folder, store) = try Self.makeStore("kohybrid-cli-json")
        defer { try? FileManager.default.removeItem(at: folder) }
        let hits = try Self.oneEncoderLine(try Self.run(["search", "--store", store, "--collection", "c", "--text", "오마카세",
                                                         "-k", "2", "--json"]).stdout)
        guard case .array(let list) = hits, list.count == 2 else { Issue.record("search --json: \(hits.jsonText)"); return }
        #expect(list.allSatisfy { Self.keys($0) == ["id", "document", "metadata", "score", "dense", "sparse", "weights"] })
        // Metadata keeps integers integers (4, not 4.0): the one encoder keeps the kinds apart.
        let four = try Self.run(["search", "--store", store, "--collection", "c", "--text", "웨이팅", "-k", "1", "--json"])
        #expect(four.stdout.contains(#""metadata":{"price":4}"#), "\(four.stdout)")

        let backup = folder.appendingPathComponent("b.kohybrid").path
        let summaries: [([String], Set<String>)] = [
            (["backup", "--store", store, "--output", backup, "--json"], ["backup", "bytes", "seconds"]),
            (["restore", "--from", backup, "--store", folder.appendingPathComponent("restored").path, "--json"],
             ["store", "collections", "seconds"]),
            (["stats", "--store", store, "--json"], ["store", "seq", "database_bytes", "collections"]),
            (["check", "--store", store, "--json"], ["store", "seq", "integrity", "ok", "problems", "collections"]),
            (["analyze", "오마카세", "--json"], ["preset", "terms"]),
        ]
        for (arguments, expected) in summaries {
            let result = try Self.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            let keys = Self.keys(try Self.oneEncoderLine(result.stdout))
            #expect(keys == expected, "\(arguments): \(keys.sorted())")
            // snake_case keys everywhere.
            #expect(keys.allSatisfy { $0 == $0.lowercased() && !$0.contains("-") }, "\(arguments): \(keys.sorted())")
        }
    }

    @Test func runtimeErrorsReadTheSameEverywhere() throws {
        let folder = SharedData.temporaryDirectory("kohybrid-cli-errors")
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("no-store").path
        let corpus = folder.appendingPathComponent("no-corpus").path
        for arguments in [["stats", "--store", missing], ["search", "--store", missing, "--collection", "c", "--text", "x"],
                          ["eval", "--corpus", corpus], ["bench", "fusion", "--corpus", corpus],
                          ["migrate", "chroma", corpus, "--store", missing]] {
            let result = try Self.run(arguments)
            #expect(result.status == 1 && !result.signaled, "\(arguments): \(result.status) \(result.stderr)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("error: ") && lines[0].contains("no-"), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Error:"), "\(arguments): \(result.stderr)")
        }
    }
}
