import Foundation
import KoHybridTestSupport
import Testing
@testable import KoHybrid

/// `kohybrid check` and `backup`'s integrity check (issue 12, defect 6).
@Suite(.needsSharedData) struct StoreCheckTests {
    static func checkJSON(_ store: URL) throws -> (status: Int32, report: [String: JSONValue]) {
        let process = Process()
        process.executableURL = try StoreDurabilityTests.kohybrid()
        process.arguments = ["check", "--store", store.path, "--json"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard case .object(let report) = try JSONValue(parsing: String(decoding: data, as: UTF8.self)) else {
            throw IndexInvariantError(description: "check --json printed no object")
        }
        return (process.terminationStatus, report)
    }

    static func snapshotStatus(_ report: [String: JSONValue]) -> String? {
        guard case .array(let collections)? = report["collections"], case .object(let c)? = collections.first,
              case .object(let snapshot)? = c["snapshot"], case .string(let status)? = snapshot["status"] else { return nil }
        return status
    }

    /// Overwrites the start of a few pages in the middle of the database (their b-tree or
    /// overflow headers), the kind of damage a bad disk or a torn copy leaves.
    static func damagePages(of store: URL) throws {
        let path = store.appendingPathComponent("store.sqlite")
        let handle = try FileHandle(forUpdating: path)
        let size = try handle.seekToEnd()
        let pageSize: UInt64 = 4096
        for page in stride(from: size / pageSize / 2, to: size / pageSize / 2 + 6, by: 1) {
            try handle.seek(toOffset: page * pageSize)
            try handle.write(contentsOf: Data(repeating: 0xFF, count: 12))
        }
        try handle.close()
    }

    @Test func backupOfADamagedStoreFailsAndCheckNamesIt() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        try await store.createCollection("c", configuration: .init(dimension: 384))
        try await store.upsert(try Fixtures.records(400), into: "c")
        try await store.close()
        #expect(try Self.checkJSON(url).status == 0)
        try Self.damagePages(of: url)

        let backup = url.appendingPathComponent("backup.kohybrid")
        let result = try StoreDurabilityTests.run(["backup", "--store", url.path, "--to", backup.path])
        #expect(result.status != 0 && result.stderr.contains("integrity check"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: backup.path))
        #expect(!FileManager.default.fileExists(atPath: backup.path + ".partial"))

        let (status, report) = try Self.checkJSON(url)
        #expect(status != 0 && report["ok"] == .bool(false))
        #expect(report["integrity"] != .string("ok"))
    }

    @Test func checkVerifiesSnapshotsAndIndexesAgainstTheRecords() async throws {
        let records = try Fixtures.records(120)
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        try await store.createCollection("c", configuration: .init(dimension: 384))
        try await store.upsert(Array(records[0..<100]), into: "c")
        try await store.close()

        // Healthy, then behind (a batch after the snapshot): both clean.
        var (status, report) = try Self.checkJSON(url)
        #expect(status == 0 && report["ok"] == .bool(true) && Self.snapshotStatus(report) == "current", "\(report)")
        let writer = try Store(directory: url)
        try await writer.upsert(Array(records[100..<120]), into: "c")
        let behind = try await writer.check()
        #expect(behind.isClean && behind.collections.first?.snapshot == .usable(seq: 2, current: false), "\(behind)")
        #expect(behind.collections.first?.indexedDocuments == 120 && behind.collections.first?.indexedVectors == 120)
        try await writer.close()

        // A damaged vector file is a problem, named; a reader's search repairs it.
        let directory = url.appendingPathComponent("indexes/1")
        let manifest = try #require(IndexSnapshot.readManifest(in: directory))
        let dense = directory.appendingPathComponent(manifest.denseFile)
        var bytes = try Data(contentsOf: dense)
        bytes[bytes.count - 100] ^= 0x04
        try bytes.write(to: dense)
        (status, report) = try Self.checkJSON(url)
        #expect(status != 0 && Self.snapshotStatus(report) == "unusable", "\(report)")
        let reader = try Store(directory: url, mode: .readOnly)
        _ = try await reader.search(SearchQuery(text: records[3].document, k: 3), in: "c")
        try await reader.close()
        (status, report) = try Self.checkJSON(url)
        #expect(status == 0 && Self.snapshotStatus(report) == "current", "\(report)")

        // A snapshot of another store state (store.sqlite replaced by another store's) is stale.
        let (other, otherURL) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: otherURL) }
        try await other.createCollection("c", configuration: .init(dimension: 384))
        try await other.upsert(Array(records[0..<50]), into: "c")
        try await other.upsert(Array(records[50..<60]), into: "c")
        try await other.close()
        try SnapshotTrustTests.replaceDatabase(in: url, with: otherURL.appendingPathComponent("store.sqlite"))
        let stale = try Store(directory: url, mode: .readOnly)
        let staleReport = try await stale.check()
        try await stale.close()
        #expect(!staleReport.isClean && staleReport.problems.first?.message.contains("stale") == true, "\(staleReport)")
    }
}
