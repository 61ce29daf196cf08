import Foundation
import KoHybridFiles
import KoHybridTestSupport
import Testing

/// The one helper every snapshot file is published through.
@Suite struct AtomicFileTests {
    struct Interrupted: Error {}

    @Test func replacesWholeOrNotAtAll() throws {
        let directory = SharedData.temporaryDirectory("kohybrid-atomic")
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("index.bin")
        try AtomicFile.write(Array("first".utf8), to: target)
        try AtomicFile.write(to: target) { (sink) throws(AtomicFileError) in
            try sink.write(Array("sec".utf8))
            try sink.write(Array("ond".utf8))
        }
        #expect(try Data(contentsOf: target) == Data("second".utf8))

        // A writer that fails half way leaves the old file and no temporary behind.
        #expect(throws: AtomicFileError.self) {
            try AtomicFile.write(to: target) { (sink) throws(AtomicFileError) in
                try sink.write(Array("thi".utf8))
                throw AtomicFileError.io(path: target.path, reason: "disk full")
            }
        }
        #expect(try Data(contentsOf: target) == Data("second".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["index.bin"])

        // Errors name the file.
        let missing = directory.appendingPathComponent("no-such-dir/index.bin")
        #expect { try AtomicFile.write([1, 2, 3], to: missing) } throws: { error in
            (error as? AtomicFileError)?.description.contains(missing.path) == true
        }
    }

    @Test func checksumSeesEveryWord() {
        var bytes = [UInt8](repeating: 7, count: 1_003)
        let original = Checksum64.of(bytes)
        for i in [0, 8, 500, 1_000, 1_002] {
            bytes[i] ^= 1
            #expect(Checksum64.of(bytes) != original, "a flipped bit at byte \(i) went unnoticed")
            bytes[i] ^= 1
        }
        #expect(Checksum64.of(bytes) == original)
    }
}
