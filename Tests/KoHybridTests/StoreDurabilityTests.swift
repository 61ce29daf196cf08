import CSQLite
import Foundation
import KoHybridTestSupport
import Testing
@testable import KoHybrid

/// Crashes, locks, backups and lost snapshots.
@Suite(.needsSharedData) struct StoreDurabilityTests {
    /// The `kohybrid` executable built beside the test bundle.
    static func kohybrid() throws -> URL { try CommandLineTool.executable() }

    /// Starts the CLI without waiting for it.
    static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = try kohybrid()
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs the CLI; returns how it ended and its stderr.
    static func run(_ arguments: [String]) throws -> (status: Int32, reason: Process.TerminationReason, stderr: String) {
        let process = Process()
        process.executableURL = try kohybrid()
        process.arguments = arguments
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason, String(decoding: data, as: UTF8.self))
    }

    /// A child process killed in the middle of a large batch leaves no trace of the batch.
    @Test func batchInterruptedByKillIsWhollyAbsent() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        let corpus = try #require(Fixtures.corpus)
        // Committed before the crash: 50 records that the crashing batch would overwrite.
        let before = try Fixtures.records(50).map { record in
            var r = record
            r.metadata = ["version": .int(1)]
            return r
        }
        try await store.createCollection("boolq", configuration: .init(dimension: 384))
        try await store.upsert(before, into: "boolq")
        try await store.close()

        // One batch of 5,000 rows (~8 MB, far more than SQLite's page cache, so pages reach the
        // database file before commit); the child SIGKILLs itself after 3,000 rows.
        let result = try Self.run(["ingest", "--store", url.path, "--collection", "boolq", "--corpus", corpus.directory.path,
                                   "--batch-size", "5000", "--crash-after-rows", "3000"])
        #expect(result.reason == .uncaughtSignal && result.status == SIGKILL, "the child should die by SIGKILL: \(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: url.appendingPathComponent("store.sqlite-journal").path),
                "a hot journal should be left behind")

        // The kernel released the dead writer's lock, and the hot journal is rolled back.
        let reopened = try Store(directory: url)
        #expect(try await reopened.count(in: "boolq") == 50)
        let survivors = try await reopened.get(ids: before.map(\.id), from: "boolq")
        #expect(survivors.allSatisfy { $0.metadata == ["version": .int(1)] })
        #expect(try await reopened.get(ids: [corpus.documents[2000].id], from: "boolq").isEmpty)
        #expect(try await reopened.stats().seq == 2, "the crashed batch's seq was never committed")
        let check = try await reopened.integrityCheck()
        #expect(check == .ok, "\(check)")
        try await reopened.upsert([Record(id: "after-crash", document: "복구 후 첫 기록")], into: "boolq")
        #expect(try await reopened.count(in: "boolq") == 51)
        try await reopened.close()
    }

    /// A writer stopped in the middle of a large batch (`SIGSTOP`, as a pod that hangs) does not
    /// block readers: they keep answering from the last committed state.
    @Test func readersKeepAnsweringWhileAWriterIsStoppedMidBatch() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        let corpus = try #require(Fixtures.corpus)
        let before = try Fixtures.records(50)
        try await store.createCollection("boolq", configuration: .init(dimension: 384))
        try await store.upsert(before, into: "boolq")
        try await store.close()

        // 3,000 rows (~5 MB, more than SQLite's page cache) written, not committed, then stopped.
        let child = Process()
        child.executableURL = try Self.kohybrid()
        child.arguments = ["ingest", "--store", url.path, "--collection", "boolq", "--corpus", corpus.directory.path,
                           "--batch-size", "5000", "--stop-after-rows", "3000"]
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        defer { kill(child.processIdentifier, SIGKILL); kill(child.processIdentifier, SIGCONT); child.waitUntilExit() }
        let stat = "/proc/\(child.processIdentifier)/stat"
        let deadline = Date().addingTimeInterval(300)
        func stopped() -> Bool {
            guard let text = try? String(contentsOfFile: stat, encoding: .utf8), let close = text.lastIndex(of: ")") else { return false }
            return text[text.index(close, offsetBy: 2)] == "T"
        }
        while !stopped() && child.isRunning && Date() < deadline { try await Task.sleep(nanoseconds: 50_000_000) }
        try #require(stopped(), "the writer never reached its stop point")

        let reader = try Store(directory: url, mode: .readOnly)
        #expect(try await reader.count(in: "boolq") == 50)
        let hits = try await reader.search(SearchQuery(text: before[7].document, vector: before[7].embedding, k: 3), in: "boolq")
        #expect(hits.first?.id == before[7].id)
        #expect(try await reader.get(ids: [before[1].id], from: "boolq").count == 1)
        try await reader.close()

        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        let after = try Store(directory: url, mode: .readOnly)
        #expect(try await after.count(in: "boolq") == 50)
        #expect(try await after.integrityCheck() == .ok)
        try await after.close()
    }

    @Test func secondWriterIsRefusedByAnExclusiveWriter() async throws {
        let url = SharedData.temporaryDirectory("kohybrid-store")
        defer { try? FileManager.default.removeItem(at: url) }
        let writer = try Store(directory: url, writers: .exclusive)
        try await writer.createCollection("c", configuration: .init(dimension: 384))
        let path = url.appendingPathComponent("writer.lock").standardizedFileURL.path
        // In this process, exclusive or waiting briefly for a turn that never comes...
        #expect(throws: StoreError.writerLocked(path: path)) { try Store(directory: url, writers: .exclusive) }
        #expect(throws: StoreError.writerLocked(path: path)) { try Store(directory: url, writers: .takeTurns(timeout: .milliseconds(100))) }
        // ...and from another one (the fcntl lock).
        let jsonl = url.appendingPathComponent("one.jsonl")
        try Data(#"{"id": "x", "document": "두 번째 작성자"}"#.utf8).write(to: jsonl)
        let result = try Self.run(["ingest", "--store", url.path, "--collection", "c", "--jsonl", jsonl.path, "--lock-timeout", "0.2"])
        #expect(result.status != 0 && result.stderr.contains("another writer holds the store"), "\(result.stderr)")
        // Readers are welcome meanwhile.
        let reader = try Store(directory: url, mode: .readOnly)
        #expect(try await reader.count(in: "c") == 0)
        try await reader.close()
        try await writer.close()
        // Once closed, the next writer gets in.
        let next = try Store(directory: url, writers: .exclusive)
        try await next.close()
    }

    @Test func writersInSeveralProcessesTakeTurns() async throws {
        let (writer, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        try await writer.createCollection("c", configuration: .init(dimension: 0))
        // Three ingest processes and this process's writer, all writing at once.
        var files: [URL] = []
        for p in 0..<3 {
            let jsonl = url.appendingPathComponent("w\(p).jsonl")
            let lines = (0..<300).map { i in #"{"id": "w\#(p)-\#(i)", "document": "작성자 \#(p) 기록 \#(i)", "metadata": {"writer": \#(p)}}"# }
            try Data(lines.joined(separator: "\n").utf8).write(to: jsonl)
            files.append(jsonl)
        }
        let ingests = try files.map { file in
            try Self.start(["ingest", "--store", url.path, "--collection", "c", "--jsonl", file.path, "--batch-size", "25"])
        }
        for i in 0..<20 {
            try await writer.upsert([Record(id: "here-\(i)", document: "이 프로세스의 기록 \(i)")], into: "c")
            _ = try await writer.search(SearchQuery(text: "작성자 기록", k: 10, mode: .sparse), in: "c")
        }
        for process in ingests { process.waitUntilExit(); #expect(process.terminationStatus == 0) }
        #expect(try await writer.count(in: "c") == 920)
        let all = try await writer.search(SearchQuery(text: "작성자", k: 1_000, mode: .sparse), in: "c")
        #expect(all.count == 900, "every other writer's batch is in this writer's index")
        #expect(try await writer.integrityCheck() == .ok)
        try await writer.close()
    }

    @Test func ingestReportsTheBadLineAndWritesNothing() throws {
        let url = SharedData.temporaryDirectory("kohybrid-ingest")
        defer { try? FileManager.default.removeItem(at: url) }
        let jsonl = url.appendingPathComponent("shops.jsonl")
        try Data("""
            {"id": "a", "document": "스시 오마카세", "metadata": {"price": 120000}, "embedding": [1, 0, 0]}
            {"id": "b", "document": "한우 오마카세", "metadata": {"price": 150000.5}, "embedding": [0, 1, 0]}
            {"id": "c", "document": "웨이팅 맛집", "metadata": {"tags": ["줄서기", 3]}, "embedding": [0, 0, 1]}

            """.utf8).write(to: jsonl)
        let result = try Self.run(["ingest", "--store", url.appendingPathComponent("store").path, "--collection", "c", "--jsonl", jsonl.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("shops.jsonl:3: metadata.tags[1]: a list holds one type"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: url.appendingPathComponent("store").path))
    }

    /// The command line end to end: ingest JSONL, search with a filter as JSON, back up, restore.
    @Test func commandLineRoundTrip() throws {
        let url = SharedData.temporaryDirectory("kohybrid-cli")
        defer { try? FileManager.default.removeItem(at: url) }
        let jsonl = url.appendingPathComponent("shops.jsonl")
        try Data("""
            {"id": "a", "document": "스시 오마카세 런치 코스", "metadata": {"price": 120000, "rating": 4.0, "tags": ["런치"]}, "embedding": [1, 0, 0]}
            {"id": "b", "document": "한우 오마카세 디너", "metadata": {"price": 150000.5, "rating": 4}, "embedding": [0, 1, 0]}
            {"id": "c", "document": "웨이팅 맛집 칼국수", "metadata": {"price": 9000}, "embedding": [0, 0, 1]}

            """.utf8).write(to: jsonl)
        let store = url.appendingPathComponent("store").path
        #expect(try Self.run(["ingest", "--store", store, "--collection", "shops", "--jsonl", jsonl.path]).status == 0)
        let search = try Self.output(["search", "--store", store, "--collection", "shops", "--text", "오마카세",
                                      "--where", #"{"price": {"$gte": 100000}}"#, "--json"])
        guard case .array(let hits) = try JSONValue(parsing: search) else { Issue.record("not a JSON array: \(search)"); return }
        let ids = hits.compactMap { hit -> String? in if case .object(let o) = hit, case .string(let id)? = o["id"] { id } else { nil } }
        #expect(Set(ids) == ["a", "b"])
        #expect(search.contains(#""rating":4.0"#) && search.contains(#""rating":4}"#), "integers and floats keep their type: \(search)")
        let backup = url.appendingPathComponent("shops.kohybrid").path
        #expect(try Self.run(["backup", "--store", store, "--to", backup]).status == 0)
        let restored = url.appendingPathComponent("restored").path
        #expect(try Self.run(["restore", "--from", backup, "--store", restored]).status == 0)
        let stats = try Self.output(["stats", "--store", restored, "--json"])
        #expect(stats.contains(#""count":3"#) && stats.contains(#""snapshot_current":true"#), "\(stats)")
    }

    static func output(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = try kohybrid()
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func backupWhileReadingThenRestore() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        let records = try Fixtures.records(120)
        try await store.createCollection("a", configuration: .init(dimension: 384, metric: .cosine, metadata: ["category": .string("오마카세")]))
        try await store.createCollection("b", configuration: .init(dimension: 384, metric: .l2, analyzer: .bigram))
        try await store.upsert(Array(records[0..<80]), into: "a")
        try await store.upsert(Array(records[80..<120]), into: "b")
        try await store.delete(ids: [records[3].id], from: "a")

        let reader = try Store(directory: url, mode: .readOnly)
        let query = SearchQuery(text: records[10].document, vector: records[10].embedding, k: 5)
        let before = try await reader.search(query, in: "a")
        let backupFile = url.appendingPathComponent("backup.kohybrid")
        // A separate reader makes the backup while the first one keeps searching.
        async let backup: Void = Store(directory: url, mode: .readOnly).backup(to: backupFile)
        let during = try await reader.search(query, in: "a")
        try await backup
        #expect(during == before)

        let restoredURL = SharedData.temporaryDirectory("kohybrid-restored")
        defer { try? FileManager.default.removeItem(at: restoredURL) }
        try await Store.restore(from: backupFile, to: restoredURL)
        await #expect(throws: StoreError.storeExists(path: restoredURL.standardizedFileURL.path)) {
            try await Store.restore(from: backupFile, to: restoredURL)
        }
        let restored = try Store(directory: restoredURL, mode: .readOnly)
        #expect(try await restored.collections() == store.collections())
        for name in ["a", "b"] {
            #expect(try await restored.get(from: name, includeEmbeddings: true) == store.get(from: name, includeEmbeddings: true))
        }
        #expect(try await restored.search(query, in: "a") == before)
        try await restored.checkIndexInvariants("a")
        try await restored.checkIndexInvariants("b")
        try await restored.close()
        try await reader.close()
        try await store.close()
    }

    /// A restore over a store that a reader has open: same seq, same keys, different records.
    /// The reader must notice (the generation changes) instead of mapping old keys to new rows.
    @Test func readersNoticeARestore() async throws {
        let records = try Fixtures.records(80)
        let (x, xURL) = try Store.temporary()
        let (y, yURL) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: xURL); try? FileManager.default.removeItem(at: yURL) }
        for (store, part) in [(x, records[0..<40]), (y, records[40..<80])] {
            try await store.createCollection("c", configuration: .init(dimension: 384))
            try await store.upsert(Array(part), into: "c")
        }
        let backupFile = yURL.appendingPathComponent("y.kohybrid")
        try await y.backup(to: backupFile)
        try await y.close()
        try await x.close()

        let reader = try Store(directory: xURL, mode: .readOnly)
        let query = SearchQuery(text: records[50].document, vector: records[50].embedding, k: 3)
        #expect(try await !reader.search(query, in: "c").map(\.id).contains(records[50].id))
        try await Store.restore(from: backupFile, to: xURL, replacing: true)
        #expect(try await reader.search(query, in: "c").first?.id == records[50].id)
        try await reader.checkIndexInvariants("c")
        try await reader.close()
    }

    /// Snapshots are derived: deleting or corrupting them changes nothing but open time.
    @Test func lostOrCorruptSnapshotsAreRebuilt() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        let records = try Fixtures.records(150)
        let queries = try #require(Fixtures.corpus?.queries)
        let queryVectors = try #require(Fixtures.queryVectors)
        try await store.createCollection("c", configuration: .init(dimension: 384))
        try await store.upsert(Array(records[0..<100]), into: "c")
        try await store.close()
        let snapshotDir = url.appendingPathComponent("indexes/1")
        let manifest = try #require(IndexSnapshot.readManifest(in: snapshotDir))
        #expect(manifest.sparseCount == 100 && manifest.denseCount == 100)

        func answers() async throws -> [[SearchHit]] {
            let reader = try Store(directory: url, mode: .readOnly)
            var out: [[SearchHit]] = []
            for q in 0..<4 {
                out.append(try await reader.search(SearchQuery(text: queries[q].text, vector: Array(queryVectors[q]), k: 5), in: "c"))
            }
            try await reader.close()
            return out
        }
        let expected = try await answers()
        #expect(expected.allSatisfy { $0.count == 5 })

        // Corrupt the vector file in the middle, and truncate the BM25 file.
        let dense = snapshotDir.appendingPathComponent(manifest.denseFile)
        var bytes = try Data(contentsOf: dense)
        for i in stride(from: bytes.count / 2, to: bytes.count / 2 + 64, by: 1) { bytes[i] ^= 0xFF }
        try bytes.write(to: dense)
        #expect(IndexSnapshot.load(from: snapshotDir, configuration: .init(dimension: 384)) { _ in manifest.binding } == nil)
        #expect(try await answers() == expected)
        // The reader that rebuilt published a new pair; damage that one.
        let republished = try #require(IndexSnapshot.readManifest(in: snapshotDir))
        let sparse = snapshotDir.appendingPathComponent(republished.sparseFile)
        try Data(try Data(contentsOf: sparse).prefix(100)).write(to: sparse)
        #expect(try await answers() == expected)
        let rebuilt = try Store(directory: url, mode: .readOnly)
        try await rebuilt.checkIndexInvariants("c")
        try await rebuilt.close()

        // Gone entirely.
        try FileManager.default.removeItem(at: url.appendingPathComponent("indexes"))
        #expect(try await answers() == expected)

        // A writer republishes; newer records are applied on top of an older snapshot.
        let writer = try Store(directory: url)
        try await writer.persistIndexes()
        #expect(IndexSnapshot.readManifest(in: snapshotDir)?.seq == manifest.seq)
        try await writer.upsert(Array(records[100..<150]), into: "c")
        try await writer.delete(ids: [records[0].id], from: "c")
        let reader = try Store(directory: url, mode: .readOnly)
        let hits = try await reader.search(SearchQuery(text: records[120].document, vector: records[120].embedding, k: 3), in: "c")
        #expect(hits.first?.id == records[120].id)
        let gone = try await reader.search(SearchQuery(text: records[0].document, vector: records[0].embedding, k: 3), in: "c")
        #expect(!gone.map(\.id).contains(records[0].id))
        try await reader.checkIndexInvariants("c")
        try await reader.close()
        try await writer.close()
        #expect(IndexSnapshot.readManifest(in: snapshotDir).map { ($0.seq, $0.sparseCount) } ?? (0, 0) == (manifest.seq + 2, 149))
    }
}
