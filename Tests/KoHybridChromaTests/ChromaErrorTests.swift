import Foundation
import Testing
import KoHybrid
import KoHybridTestSupport
@testable import KoHybridChroma

/// Damaged or foreign sources fail with a typed error that names the file; never a crash.
@Suite struct ChromaErrorTests {
    /// The VECTOR segment folder of the `sources` collection (the only 384-dimension index).
    func sourcesSegment(in persist: URL) throws -> URL {
        let folders = try FileManager.default.contentsOfDirectory(at: persist, includingPropertiesForKeys: nil)
        return try #require(folders.first { folder in
            (try? HNSWSegmentFiles(folder: folder))?.header.dimension == 384
        })
    }

    @Test func missingDirectoryAndDatabase() throws {
        let nowhere = SharedData.temporaryDirectory("chroma-missing").appendingPathComponent("nope")
        #expect(throws: ChromaError.missingFile(path: nowhere.path, reason: "no such file or directory")) {
            try ChromaSource.open(nowhere)
        }
        let empty = SharedData.temporaryDirectory("chroma-empty")
        let database = empty.appendingPathComponent("chroma.sqlite3").path
        #expect(throws: ChromaError.missingFile(path: database, reason: "a Chroma persisted directory holds chroma.sqlite3")) {
            try ChromaSource.open(empty)
        }
    }

    @Test func chroma03LayoutIsRefusedByName() throws {
        let dir = SharedData.temporaryDirectory("chroma-03")
        try Data().write(to: dir.appendingPathComponent("chroma-collections.parquet"))
        do {
            _ = try ChromaSource.open(dir)
            Issue.record("0.3 layout accepted")
        } catch {
            guard case let .unsupportedVersion(path, reason) = error else { Issue.record("wrong error \(error)"); return }
            #expect(path == dir.path)
            #expect(reason.contains("0.3"))
        }
    }

    @Test func notASQLiteDatabase() throws {
        let dir = SharedData.temporaryDirectory("chroma-garbage")
        let database = dir.appendingPathComponent("chroma.sqlite3")
        try Data("이것은 데이터베이스가 아닙니다".utf8).write(to: database)
        do {
            _ = try ChromaSource.open(dir)
            Issue.record("garbage accepted")
        } catch {
            guard case let .sqlite(path, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(path == database.path)
        }
    }

    @Test(.needsSharedData) func truncatedLevel0File() throws {
        let persist = try ChromaFixture(version: "0.6.3").copyOfPersist()
        let level0 = try sourcesSegment(in: persist).appendingPathComponent("data_level0.bin")
        let data = try Data(contentsOf: level0)
        try data.prefix(100_000).write(to: level0)
        do {
            _ = try ChromaSource.open(persist).readCollection(named: "sources")
            Issue.record("truncated file accepted")
        } catch {
            guard case let .corruptData(path, reason) = error else { Issue.record("wrong error \(error)"); return }
            #expect(path == level0.path)
            #expect(reason.contains("297 elements"))
        }
    }

    @Test(.needsSharedData) func missingHeaderNextToPickle() throws {
        let persist = try ChromaFixture(version: "1.5.9").copyOfPersist()
        let folder = try sourcesSegment(in: persist)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("header.bin"))
        #expect(throws: ChromaError.missingFile(path: folder.appendingPathComponent("header.bin").path, reason: "part of an HNSW segment")) {
            try ChromaSource.open(persist).readCollection(named: "sources")
        }
    }

    @Test(.needsSharedData) func unknownHNSWPersistenceVersion() throws {
        let persist = try ChromaFixture(version: "0.6.3").copyOfPersist()
        let header = try sourcesSegment(in: persist).appendingPathComponent("header.bin")
        var bytes = try Data(contentsOf: header)
        bytes[0] = 2
        try bytes.write(to: header)
        do {
            _ = try ChromaSource.open(persist).readCollection(named: "sources")
            Issue.record("version 2 accepted")
        } catch {
            guard case let .unsupportedVersion(path, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(path == header.path)
        }
    }

    @Test(.needsSharedData) func dimensionMismatchBetweenSQLiteAndHNSWFiles() throws {
        let persist = try ChromaFixture(version: "0.6.3").copyOfPersist()
        let header = try sourcesSegment(in: persist).appendingPathComponent("header.bin")
        var bytes = try Data(contentsOf: header)
        // Move label_offset (36) and size_data_per_element (28) by 4 bytes: a consistent header of
        // a 385-dimension index, while SQLite says 384.
        for offset in [28, 36] { bytes[offset] = bytes[offset] &+ 4 }
        try bytes.write(to: header)
        #expect(throws: ChromaError.dimensionMismatch(path: header.path, collection: "sources", id: "(every flushed vector)",
                                                      expected: 384, found: 385)) {
            try ChromaSource.open(persist).readCollection(named: "sources")
        }
    }

    @Test(.needsSharedData) func corruptPickle() throws {
        let persist = try ChromaFixture(version: "1.0.21").copyOfPersist()
        let pickle = try sourcesSegment(in: persist).appendingPathComponent("index_metadata.pickle")
        let bytes = try Data(contentsOf: pickle)
        try bytes.prefix(bytes.count / 2).write(to: pickle)
        do {
            _ = try ChromaSource.open(persist).readCollection(named: "sources")
            Issue.record("truncated pickle accepted")
        } catch {
            guard case let .corruptData(path, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(path == pickle.path)
        }
    }
}
