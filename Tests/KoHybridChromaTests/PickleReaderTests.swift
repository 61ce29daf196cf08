import Foundation
import Testing
import KoHybridTestSupport
@testable import KoHybridChroma

@Suite struct PickleReaderTests {
    /// Both writers: the 0.6.3 Python object and the 1.5.9 plain dict, each over the
    /// `sources` segment (294 live ids after 6 deletes).
    @Test(.needsSharedData, arguments: ["0.6.3", "1.5.9", "0.4.24"])
    func fixturePicklesMapLabelsToIDs(_ version: String) throws {
        let persist = ChromaFixture(version: version).persist
        let folders = try FileManager.default.contentsOfDirectory(at: persist, includingPropertiesForKeys: nil)
        var parsed = 0
        for folder in folders {
            let path = folder.appendingPathComponent("index_metadata.pickle")
            guard let bytes = try? Data(contentsOf: path) else { continue }
            let maps = try IndexMetadata(pickle: [UInt8](bytes), path: path.path)
            #expect(!maps.labelToID.isEmpty)
            #expect(Set(maps.labelToID.values).count == maps.labelToID.count, "ids are unique")
            #expect(maps.labelToID.keys.allSatisfy { $0 >= 1 }, "labels are 1-based")
            // Only the 0.4 writer keeps the flushed queue position in the pickle.
            #expect((maps.maxSeqID != nil) == (version == "0.4.24"))
            parsed += 1
        }
        #expect(parsed == 2)
    }

    @Test func memoReferencesNegativeAndLargeIntegers() throws {
        // {"label_to_id": {300: "a", -1 as BININT: memo[0] via LONG_BINGET}, "max_seq_id": LONG1 2^40}
        var bytes: [UInt8] = [0x80, 0x03, 0x7D, 0x28]
        bytes += [0x8C, 11] + Array("label_to_id".utf8) + [0x7D, 0x28]
        bytes += [0x4D, 0x2C, 0x01, 0x8C, 1, UInt8(ascii: "a"), 0x94]              // 300: "a" (memo 0)
        bytes += [0x4B, 7, 0x6A, 0, 0, 0, 0]                                         // 7: memo[0]
        bytes += [0x75]
        bytes += [0x8C, 10] + Array("max_seq_id".utf8) + [0x8A, 6, 0, 0, 0, 0, 0, 1] // 2^40
        bytes += [0x75, 0x2E]
        let maps = try IndexMetadata(pickle: bytes, path: "t.pickle")
        #expect(maps.labelToID == [300: "a", 7: "a"])
        #expect(maps.maxSeqID == 1 << 40)

        let negative: [UInt8] = [0x80, 0x03, 0x8A, 1, 0xFF, 0x2E]
        #expect(try PickleReader.load(negative, path: "n") == .int(-1))
    }

    @Test func refusesWhatChromaNeverWrites() {
        // REDUCE (0x52) would call a function in Python: refused, with its offset.
        #expect(throws: ChromaError.unsupportedData(path: "evil.pickle", reason: "pickle opcode 0x52 at byte 2 is not one Chroma writes")) {
            try PickleReader.load([0x80, 0x03, 0x52, 0x2E], path: "evil.pickle")
        }
        #expect(throws: ChromaError.self) { try PickleReader.load([0x80, 0x03, 0x75, 0x2E], path: "no-mark") }
        #expect(throws: ChromaError.self) { try PickleReader.load([0x80, 0x03, 0x68, 5, 0x2E], path: "bad-memo") }
        #expect(throws: ChromaError.self) { try IndexMetadata(pickle: [0x80, 0x03, 0x7D, 0x2E], path: "empty-dict") }
    }
}
