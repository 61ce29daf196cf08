import Foundation
import KoHybrid
import KoHybridTestSupport
import Testing
@testable import KoHybridChroma

/// Issue 12, defect 7: a migration never reports success while source records are lost.
@Suite struct ChromaMigrationLossTests {
    /// A writable copy of the 1.5.9 fixture's persisted directory (the fixture is read-only).
    static func copyOfFixture() throws -> URL {
        let folder = SharedData.temporaryDirectory("kohybrid-chroma-damaged")
        let copy = folder.appendingPathComponent("persist")
        try FileManager.default.copyItem(at: ChromaFixture(version: "1.5.9").persist, to: copy)
        return copy
    }

    /// The page number of a leaf page of the `embeddings` table (from SQLite's dbstat).
    static func embeddingsLeafPage(_ database: URL) throws -> Int {
        let pages = try ChromaDatabase.open(readOnly: database.path)
            .rows("SELECT pageno FROM dbstat WHERE name = 'embeddings' AND pagetype = 'leaf' ORDER BY pageno") { Int($0.int(0)) }
        return try #require(pages.dropFirst().first)
    }

    @Test(.needsSharedData) func corruptPageStopsTheMigration() async throws {
        let persist = try Self.copyOfFixture()
        defer { try? FileManager.default.removeItem(at: persist.deletingLastPathComponent()) }
        let database = persist.appendingPathComponent("chroma.sqlite3")
        // Zero the cell count of one leaf: its rows vanish from every query without an error.
        let page = try Self.embeddingsLeafPage(database)
        var bytes = try Data(contentsOf: database)
        let offset = (page - 1) * 4096
        bytes[offset + 3] = 0
        bytes[offset + 4] = 0
        try bytes.write(to: database)

        let target = persist.deletingLastPathComponent().appendingPathComponent("store")
        let source = try ChromaSource.open(persist)
        await #expect {
            _ = try await ChromaMigration(source: source, target: target, options: .init(verify: true)).run()
        } throws: { error in
            guard case ChromaMigrationError.damagedSource(_, let problems)? = error as? ChromaMigrationError else { return false }
            return !problems.isEmpty
        }
        #expect(!FileManager.default.fileExists(atPath: target.path), "nothing is written")
        // Accepted explicitly: the report carries the integrity problem and is not complete.
        let report = try await ChromaMigration(source: source, target: target, options: .init(verify: true, allowPartial: true)).run()
        #expect(!report.sourceProblems.isEmpty && !report.isComplete)
    }

    @Test(.needsSharedData) func missingSegmentFolderNamesEveryLostRecord() async throws {
        let persist = try Self.copyOfFixture()
        defer { try? FileManager.default.removeItem(at: persist.deletingLastPathComponent()) }
        let full = try ChromaSource.open(persist).readCollection(named: "cosine_flushed")
        // The vector segment folder of cosine_flushed: the one whose ids it reads.
        let folders = try FileManager.default.contentsOfDirectory(atPath: persist.path).filter { $0.contains("-") }
        var removed: String?
        for folder in folders {
            let aside = persist.deletingLastPathComponent().appendingPathComponent(folder)
            try FileManager.default.moveItem(at: persist.appendingPathComponent(folder), to: aside)
            if try ChromaSource.open(persist).readCollection(named: "cosine_flushed").records.count < full.records.count {
                removed = folder
                break
            }
            try FileManager.default.moveItem(at: aside, to: persist.appendingPathComponent(folder))
        }
        try #require(removed != nil)
        let source = try ChromaSource.open(persist)
        let lost = try source.readCollection(named: "cosine_flushed").skipped.map(\.id)
        #expect(!lost.isEmpty)

        let target = persist.deletingLastPathComponent().appendingPathComponent("store")
        await #expect {
            _ = try await ChromaMigration(source: source, target: target).run()
        } throws: { error in
            guard case ChromaMigrationError.incomplete("cosine_flushed", let notMigrated)? = error as? ChromaMigrationError else { return false }
            return notMigrated.map(\.id) == lost && notMigrated.allSatisfy { $0.reason.contains("segment folder") }
        }
        #expect(!FileManager.default.fileExists(atPath: target.path))

        let report = try await ChromaMigration(source: source, target: target, options: .init(verify: true, allowPartial: true)).run()
        #expect(report.notMigrated.map(\.id) == lost && !report.isComplete)
        let store = try Store(directory: target, mode: .readOnly)
        #expect(try await store.count(in: "cosine_flushed") == full.records.count - lost.count)
        try await store.close()
    }

    @Test func exportWithoutVectorsIsNotASuccess() async throws {
        let folder = SharedData.temporaryDirectory("kohybrid-chroma-export")
        defer { try? FileManager.default.removeItem(at: folder) }
        let export = folder.appendingPathComponent("notes.jsonl")
        try Data("""
            {"id": "n1", "text_chunk": "벡터 없는 기록", "metadata": {"k": 1}}
            {"id": "n2", "text_chunk": "또 하나", "metadata": {}}

            """.utf8).write(to: export)
        let source = try ChromaSource.open(export)
        let target = folder.appendingPathComponent("store")
        let dry = try await ChromaMigration(source: source, target: target, options: .init(dryRun: true)).run()
        #expect(dry.notMigrated.map(\.id) == ["n1", "n2"] && !dry.isComplete)
        await #expect {
            _ = try await ChromaMigration(source: source, target: target).run()
        } throws: { error in
            guard case ChromaMigrationError.incomplete(_, let notMigrated)? = error as? ChromaMigrationError else { return false }
            return notMigrated.map(\.id) == ["n1", "n2"]
        }
    }

    /// A killed run's staging directory beside an existing store is removed by the next run.
    @Test(.needsSharedData) func orphanStagingBesideAnExistingStoreIsRemoved() async throws {
        let folder = SharedData.temporaryDirectory("kohybrid-chroma-orphan")
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("store")
        let source = try ChromaSource.open(ChromaFixture(version: "1.5.9").persist)
        _ = try await ChromaMigration(source: source, target: target, options: .init(collections: ["fine_dining_examples"])).run()
        let orphan = folder.appendingPathComponent(".store.migrating-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: orphan, withIntermediateDirectories: true)
        _ = try await ChromaMigration(source: source, target: target, options: .init(collections: ["fine_dining_examples"])).run()
        #expect(!FileManager.default.fileExists(atPath: orphan.path))
    }
}
