import Foundation
import KoHybridTestSupport
import Testing
@testable import KoHybrid

/// Issue 12, defects 1, 3 and 10 through the `kohybrid` command line.
@Suite struct CommandLineTrustTests {
    struct Outcome {
        var status: Int32
        var signaled: Bool
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = try StoreDurabilityTests.kohybrid()
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes concurrently, so neither fills up and blocks the child.
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return Outcome(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
                       stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    static func floats(_ values: [Float], to url: URL) throws {
        var data = Data()
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        try data.write(to: url)
    }

    static let threeRecords = """
        {"id": "a", "document": "스시 오마카세"}
        {"id": "b", "document": "한우 오마카세"}
        {"id": "c", "document": "웨이팅 맛집"}

        """

    /// Defect 1: a huge --dim is a clear error, with or without --vectors.
    @Test func hugeDimensionIsAnError() throws {
        let url = SharedData.temporaryDirectory("kohybrid-cli-dim")
        defer { try? FileManager.default.removeItem(at: url) }
        let jsonl = url.appendingPathComponent("r.jsonl")
        try Data(Self.threeRecords.utf8).write(to: jsonl)
        let vectors = url.appendingPathComponent("r.f32")
        try Self.floats([1, 0, 0, 1, 1, 1], to: vectors)
        let store = url.appendingPathComponent("store").path
        for extra in [["--vectors", vectors.path], []] {
            let result = try Self.run(["ingest", "--store", store, "--collection", "c", "--jsonl", jsonl.path,
                                       "--dim", "4611686018427387904"] + extra)
            #expect(!result.signaled && result.status != 0, "\(result.stderr)")
            #expect(result.stderr.contains("--dim must be between 1 and 65536"), "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: store))
        // Benchmarks take sizes too: each is checked before it reaches index arithmetic.
        for bad in [["--dim", "4611686018427387904"], ["--limit", "-5"], ["--M", "1"], ["--ef", "0,16"]] {
            let result = try Self.run(["bench", "ann", "--base", vectors.path, "--dim", "2"] + bad)
            #expect(!result.signaled && result.status == 64, "\(bad): \(result.stderr)")
        }
    }

    /// Defect 3: a bad record anywhere stops the ingest before the first batch, and no empty
    /// collection is left behind.
    @Test func badRecordInALaterBatchWritesNothing() async throws {
        let url = SharedData.temporaryDirectory("kohybrid-cli-atomic")
        defer { try? FileManager.default.removeItem(at: url) }
        let jsonl = url.appendingPathComponent("r.jsonl")
        try Data(Self.threeRecords.utf8).write(to: jsonl)
        let vectors = url.appendingPathComponent("r.f32")
        try Self.floats([1, 0, 0, 1, .nan, 1], to: vectors)
        let store = url.appendingPathComponent("store")
        let ingest = ["ingest", "--store", store.path, "--collection", "c", "--jsonl", jsonl.path,
                      "--vectors", vectors.path, "--dim", "2", "--batch-size", "1"]
        let first = try Self.run(ingest)
        #expect(first.status != 0 && first.stderr.contains("record \"c\"") && first.stderr.contains("nothing was written"), "\(first.stderr)")
        #expect(!FileManager.default.fileExists(atPath: store.path), "a new store is created only for records that passed")
        // In an existing store: no collection with a fixed dimension is left behind.
        #expect(try Self.run(["ingest", "--store", store.path, "--collection", "other", "--jsonl", jsonl.path, "--dim", "5"]).status == 0)
        let second = try Self.run(ingest)
        #expect(second.status != 0 && second.stderr.contains("nothing was written"), "\(second.stderr)")
        let reader = try Store(directory: store, mode: .readOnly)
        let collections = try await reader.collections()
        #expect(collections.map(\.name) == ["other"])
        try await reader.close()
        let help = try Self.run(["ingest", "--help"])
        #expect(help.stdout.contains("before the first write"))
    }

    /// Defect 10: settings of an existing collection are not silently ignored.
    @Test func conflictingSettingsOnAnExistingCollectionAreRefused() throws {
        let url = SharedData.temporaryDirectory("kohybrid-cli-settings")
        defer { try? FileManager.default.removeItem(at: url) }
        let jsonl = url.appendingPathComponent("r.jsonl")
        try Data(Self.threeRecords.utf8).write(to: jsonl)
        let store = url.appendingPathComponent("store").path
        let base = ["ingest", "--store", store, "--collection", "c", "--jsonl", jsonl.path]
        #expect(try Self.run(base + ["--dim", "3", "--metric", "l2"]).status == 0)
        #expect(try Self.run(base + ["--dim", "3", "--metric", "l2", "--analyzer", "korean"]).status == 0, "equal settings are fine")
        for (option, value) in [("--metric", "cosine"), ("--dim", "4"), ("--analyzer", "bigram")] {
            let result = try Self.run(base + [option, value])
            #expect(result.status != 0 && result.stderr.contains("already exists") && result.stderr.contains(option), "\(result.stderr)")
        }
    }

    /// Defect 10: --model naming no vector file is an error listing the models found.
    @Test func unknownCorpusModelIsAnError() throws {
        let url = SharedData.temporaryDirectory("kohybrid-cli-model")
        defer { try? FileManager.default.removeItem(at: url) }
        let corpus = url.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus.appendingPathComponent("qrels"), withIntermediateDirectories: true)
        try Data("""
            {"_id": "d1", "title": "", "text": "스시 오마카세"}
            {"_id": "d2", "title": "", "text": "한우 오마카세"}

            """.utf8).write(to: corpus.appendingPathComponent("corpus.jsonl"))
        try Data(#"{"_id": "q1", "text": "오마카세"}"#.utf8 + Data("\n".utf8)).write(to: corpus.appendingPathComponent("queries.jsonl"))
        try Data("query-id\tcorpus-id\tscore\nq1\td1\t1\n".utf8).write(to: corpus.appendingPathComponent("qrels/test.tsv"))
        try Data(#"{"dim": 2}"#.utf8).write(to: corpus.appendingPathComponent("embeddings.json"))
        try Self.floats([1, 0, 0, 1], to: corpus.appendingPathComponent("corpus.tiny.f32"))
        let store = url.appendingPathComponent("store")
        let result = try Self.run(["ingest", "--store", store.path, "--collection", "c", "--corpus", corpus.path, "--model", "nope"])
        #expect(result.status != 0 && result.stderr.contains("models found: tiny"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: store.path))
        #expect(try Self.run(["ingest", "--store", store.path, "--collection", "c", "--corpus", corpus.path, "--model", "tiny"]).status == 0)
    }

    /// Defect 10: search options that mean nothing, a zero query vector, `help bogus`.
    @Test func meaninglessRequestsFailLoudly() throws {
        let url = SharedData.temporaryDirectory("kohybrid-cli-search")
        defer { try? FileManager.default.removeItem(at: url) }
        let jsonl = url.appendingPathComponent("r.jsonl")
        try Data(#"{"id": "a", "document": "오마카세", "embedding": [1, 0]}"#.utf8 + Data("\n".utf8)).write(to: jsonl)
        let store = url.appendingPathComponent("store").path
        #expect(try Self.run(["ingest", "--store", store, "--collection", "c", "--jsonl", jsonl.path]).status == 0)
        let search = ["search", "--store", store, "--collection", "c", "--text", "오마카세"]
        for bad in [["--candidates", "0"], ["--ef=-1"], ["-k", "0"]] {
            let result = try Self.run(search + bad)
            #expect(result.status == 64, "\(bad): \(result.stderr)")
        }
        let zero = url.appendingPathComponent("zero.f32")
        try Self.floats([0, 0], to: zero)
        let result = try Self.run(["search", "--store", store, "--collection", "c", "--vector-file", zero.path, "--mode", "dense"])
        #expect(result.status != 0 && result.stderr.contains("no direction"), "\(result.stderr)")
        let help = try Self.run(["help", "bogus"])
        #expect(help.status != 0 && help.stderr.contains("'bogus' is not a command"), "\(help.stderr)")
        #expect(try Self.run(["help", "search"]).status == 0)
    }

    /// Defect 10: messages in words, not Foundation codes or Swift API names.
    @Test func errorsSpeakToPeople() async throws {
        let url = SharedData.temporaryDirectory("kohybrid-cli-words")
        defer { try? FileManager.default.removeItem(at: url) }
        let directory = try Self.run(["ingest", "--store", url.appendingPathComponent("s").path, "--collection", "c", "--jsonl", url.path])
        #expect(directory.status != 0 && !directory.stderr.contains("NSCocoaErrorDomain"), "\(directory.stderr)")
        let jsonl = url.appendingPathComponent("r.jsonl")
        try Data(Self.threeRecords.utf8).write(to: jsonl)
        let store = url.appendingPathComponent("store").path
        #expect(try Self.run(["ingest", "--store", store, "--collection", "c", "--jsonl", jsonl.path, "--dim", "2"]).status == 0)
        let backup = url.appendingPathComponent("b.kohybrid").path
        #expect(try Self.run(["backup", "--store", store, "--to", backup]).status == 0)
        let restore = try Self.run(["restore", "--from", backup, "--store", store])
        #expect(restore.status != 0 && restore.stderr.contains("--replace") && !restore.stderr.contains("replacing"), "\(restore.stderr)")
        let writer = try Store(directory: URL(fileURLWithPath: store), writers: .exclusive)
        let second = try Self.run(["ingest", "--store", store, "--collection", "c", "--jsonl", jsonl.path, "--lock-timeout", "0.2"])
        #expect(second.status != 0 && !second.stderr.contains(".readOnly"), "\(second.stderr)")
        try await writer.close()
    }

    /// Defect 10: a failure after the records were committed says they were committed.
    @Test func failureAfterCommitSaysTheRecordsAreSafe() async throws {
        let url = SharedData.temporaryDirectory("kohybrid-cli-committed")
        defer { try? FileManager.default.removeItem(at: url) }
        let jsonl = url.appendingPathComponent("r.jsonl")
        try Data(Self.threeRecords.utf8).write(to: jsonl)
        let store = url.appendingPathComponent("store")
        try FileManager.default.createDirectory(at: store, withIntermediateDirectories: true)
        // A file where the index folder goes: publishing the snapshots fails after the commit.
        try Data("x".utf8).write(to: store.appendingPathComponent(StoreSchema.indexDirectory))
        let result = try Self.run(["ingest", "--store", store.path, "--collection", "c", "--jsonl", jsonl.path, "--dim", "2"])
        #expect(result.status != 0 && result.stderr.contains("all 3 records were committed"), "\(result.stderr)")
        let reader = try Store(directory: store, mode: .readOnly)
        #expect(try await reader.count(in: "c") == 3)
        try await reader.close()
    }

    /// Defect 10: a write that fails midway (here: the file size limit, as a full disk would)
    /// reports exactly the batches that were committed.
    @Test func writeFailureMidwayReportsWhatWasCommitted() async throws {
        let url = SharedData.temporaryDirectory("kohybrid-cli-full")
        defer { try? FileManager.default.removeItem(at: url) }
        let jsonl = url.appendingPathComponent("big.jsonl")
        var lines = ""
        for i in 0..<60 {
            lines += #"{"id": "r\#(i)", "document": "\#(String(repeating: "가나다라 ", count: 800))\#(i)", "embedding": [1, \#(i)]}"# + "\n"
        }
        try Data(lines.utf8).write(to: jsonl)
        let store = url.appendingPathComponent("store")
        let kohybrid = try StoreDurabilityTests.kohybrid().path
        // SIGXFSZ ignored: a write past the limit fails with EFBIG instead of killing the process.
        let result = try Self.run(shell: "trap '' XFSZ; ulimit -f 400; exec '\(kohybrid)' ingest --store '\(store.path)' --collection c --jsonl '\(jsonl.path)' --batch-size 10")
        #expect(result.status == 1 && result.stderr.contains("was not written"), "\(result.stderr)")
        let pattern = /(\d+) of 60 records were committed in earlier batches/
        let committed = try #require(result.stderr.firstMatch(of: pattern).flatMap { Int($0.1) }, "\(result.stderr)")
        let reader = try Store(directory: store, mode: .readOnly)
        #expect(try await reader.count(in: "c") == committed)
        try await reader.close()
    }

    static func run(shell command: String) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
                       stdout: "", stderr: String(decoding: data, as: UTF8.self))
    }

    /// Defect 10: a backup killed midway leaves a `.partial` file that the next backup removes.
    @Test func abandonedBackupPartialsAreRemoved() throws {
        let url = SharedData.temporaryDirectory("kohybrid-cli-partial")
        defer { try? FileManager.default.removeItem(at: url) }
        let jsonl = url.appendingPathComponent("r.jsonl")
        try Data(Self.threeRecords.utf8).write(to: jsonl)
        let store = url.appendingPathComponent("store").path
        #expect(try Self.run(["ingest", "--store", store, "--collection", "c", "--jsonl", jsonl.path, "--dim", "2"]).status == 0)
        // The pid of a process that has exited.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let host = Store.hostName
        let abandoned = url.appendingPathComponent("old.kohybrid.partial-\(host)-\(gone.processIdentifier)")
        let foreign = url.appendingPathComponent("old.kohybrid.partial-another-host-1")
        for file in [abandoned, foreign] { try Data("half".utf8).write(to: file) }
        #expect(try Self.run(["backup", "--store", store, "--to", url.appendingPathComponent("new.kohybrid").path]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: abandoned.path))
        #expect(FileManager.default.fileExists(atPath: foreign.path), "another host's process cannot be checked from here")
    }

    /// Defect 10: a `restore` killed before its copy is published leaves no half store and a
    /// staging file (with journal) that the next run clears; a replaced store stays as it was.
    @Test(.needsSharedData) func killedRestoreIsClearedByTheNextRun() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        let records = try Fixtures.records(200)
        try await store.createCollection("c", configuration: .init(dimension: 384))
        try await store.upsert(records, into: "c")
        let backup = url.appendingPathComponent("b.kohybrid")
        try await store.backup(to: backup)
        try await store.close()

        let fresh = url.appendingPathComponent("fresh")
        let killed = try Self.run(["restore", "--from", backup.path, "--store", fresh.path, "--crash-before-publish"])
        #expect(killed.signaled && killed.status == SIGKILL, "\(killed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fresh.appendingPathComponent(StoreSchema.databaseFile).path),
                "a store appears whole or not at all")
        // What a kill during the staging copy leaves: a hot journal beside the staging file.
        let staging = fresh.appendingPathComponent(StoreSchema.databaseFile + ".restoring")
        try Data(repeating: 0xAB, count: 4096).write(to: URL(fileURLWithPath: staging.path + "-journal"))
        let rerun = try Self.run(["restore", "--from", backup.path, "--store", fresh.path])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fresh.path)
        #expect(!leftovers.contains { $0.contains(".restoring") }, "\(leftovers)")
        let restored = try Store(directory: fresh, mode: .readOnly)
        #expect(try await restored.count(in: "c") == records.count)
        try await restored.close()

        // Replacing: killed before publishing, the old store is untouched.
        let other = try Store(directory: url.appendingPathComponent("other"))
        try await other.createCollection("x", configuration: .init(dimension: 384))
        try await other.upsert(Array(records[0..<5]), into: "x")
        try await other.close()
        let replaced = try Self.run(["restore", "--from", backup.path, "--store", url.appendingPathComponent("other").path,
                                     "--replace", "--crash-before-publish"])
        #expect(replaced.signaled)
        let reader = try Store(directory: url.appendingPathComponent("other"), mode: .readOnly)
        #expect(try await reader.collections().map(\.name) == ["x"])
        try await reader.close()
    }
}

