import Foundation
import Testing
import KoHybridTestSupport
@testable import KoHybridChroma

/// Databases changed with Python's sqlite3 (the peers Python): schema steps from a newer Chroma,
/// missing tables, a queue vector of the wrong length.
@Suite(.needsSharedData, .enabled(if: SharedData.peersPython != nil || SharedData.isCI,
                                  "needs the peers Python (scripts/peers-venv.sh, or KOHYBRID_PEERS_PYTHON)"))
struct ChromaSchemaErrorTests {
    /// A copy of the 1.5.9 fixture with `sql` applied, or nil when no peers Python is available
    /// (a failure under CI).
    func damagedCopy(_ sql: String) throws -> URL? {
        guard SharedData.peersPython != nil else {
            if SharedData.isCI { Issue.record("no peers Python under CI") }
            return nil
        }
        let persist = try ChromaFixture(version: "1.5.9").copyOfPersist()
        let database = persist.appendingPathComponent("chroma.sqlite3").path
        _ = try SharedData.runPython(["-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()",
                                      database, sql])
        return persist
    }

    @Test func newerChromaIsRefusedByName() throws {
        guard let persist = try damagedCopy("INSERT INTO migrations VALUES ('sysdb', 11, 'x.sql', '', '')") else { return }
        do {
            _ = try ChromaSource.open(persist)
            Issue.record("schema step sysdb 11 accepted")
        } catch {
            guard case let .unsupportedVersion(path, reason) = error else { Issue.record("wrong error \(error)"); return }
            #expect(path == persist.appendingPathComponent("chroma.sqlite3").path)
            #expect(reason.contains("sysdb 11"))
        }
    }

    @Test func missingQueueTableIsNotChroma() throws {
        guard let persist = try damagedCopy("DROP TABLE embeddings_queue") else { return }
        #expect(throws: ChromaError.notChromaData(path: persist.appendingPathComponent("chroma.sqlite3").path, reason: "no embeddings_queue table")) {
            try ChromaSource.open(persist)
        }
    }

    @Test func queueVectorOfWrongLengthNamesTheRecord() throws {
        // The newest queue row with a vector gets a single float (fine_dining_examples is 8-d).
        guard let persist = try damagedCopy("""
            UPDATE embeddings_queue SET vector = x'0000803f'
            WHERE seq_id = (SELECT MAX(seq_id) FROM embeddings_queue WHERE vector IS NOT NULL AND id LIKE 'fd-%')
            """) else { return }
        do {
            _ = try ChromaSource.open(persist).readCollection(named: "fine_dining_examples")
            Issue.record("a 1-value vector was accepted in an 8-dimension collection")
        } catch {
            guard case let .dimensionMismatch(path, collection, id, expected, found) = error else { Issue.record("wrong error \(error)"); return }
            #expect(path == persist.appendingPathComponent("chroma.sqlite3").path)
            #expect(collection == "fine_dining_examples" && id.hasPrefix("fd-") && expected == 8 && found == 1)
        }
    }
}
