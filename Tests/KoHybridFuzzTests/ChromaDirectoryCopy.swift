import Foundation

/// A writable copy of one fixture's persisted directory, damaged one file at a time and put back.
struct ChromaDirectoryCopy {
    let persist: URL
    /// Relative path → original bytes, for every file of the directory.
    let files: [(path: String, bytes: [UInt8])]

    init(version: String, under work: URL) throws {
        let source = FuzzSeeds.chromaFixtures.appendingPathComponent(version).appendingPathComponent("persist")
        persist = work.appendingPathComponent(version)
        var files: [(String, [UInt8])] = []
        let enumerator = FileManager.default.enumerator(atPath: source.path)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let from = source.appendingPathComponent(relative)
            guard FileManager.default.fileExists(atPath: from.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let bytes = [UInt8](try Data(contentsOf: from))
            let to = persist.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: to)
            files.append((relative, bytes))
        }
        self.files = files.sorted { $0.0 < $1.0 }
    }

    struct Damage { var index: Int; var removed: Bool }

    /// Mutates (or removes) one file. The database and the small segment files are chosen most:
    /// `header.bin` holds every size the reader computes with.
    func damage(using mutator: inout Mutator) -> Damage {
        let weights = files.map { file -> Int in
            switch (file.path as NSString).lastPathComponent {
            case "chroma.sqlite3": 6
            case "header.bin", "index_metadata.pickle": 4
            default: 2
            }
        }
        var draw = mutator.below(weights.reduce(0, +)), index = 0
        while draw >= weights[index] { draw -= weights[index]; index += 1 }
        let url = persist.appendingPathComponent(files[index].path)
        if mutator.chance(25) {
            try? FileManager.default.removeItem(at: url)
            return Damage(index: index, removed: true)
        }
        var bytes = files[index].bytes
        if (url.lastPathComponent == "header.bin" || url.lastPathComponent == "chroma.sqlite3") && mutator.chance(2) {
            // An aligned size field set to a boundary value (header offsets 4...52, SQLite header 16...100).
            let at = url.lastPathComponent == "header.bin" ? 4 + 8 * mutator.below(7) : 16 + 4 * mutator.below(21)
            let value = mutator.pick(Mutator.interesting)
            for k in 0..<8 where at + k < bytes.count { bytes[at + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(k))) }
        } else {
            for _ in 0..<(1 + mutator.below(3)) { mutator.mutate(&bytes) }
        }
        try? Data(bytes).write(to: url)
        return Damage(index: index, removed: false)
    }

    func restore(_ damage: Damage) {
        try? Data(files[damage.index].bytes).write(to: persist.appendingPathComponent(files[damage.index].path))
    }
}
