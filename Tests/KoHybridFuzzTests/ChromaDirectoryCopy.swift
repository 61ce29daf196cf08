import Foundation
@testable import KoHybrid   // StoreDatabase, to damage chroma.sqlite3 at the row level

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
            case "chroma.sqlite3": 24
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
        if url.lastPathComponent == "chroma.sqlite3" && !mutator.chance(4) {
            damageRows(statement: mutator.below(Self.rowDamage.count), value: mutator.below(Self.boundaryValues.count),
                       row: mutator.below(64))
            return Damage(index: index, removed: false)
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

    /// Row-level damage: well-formed SQLite holding values Chroma never writes. Byte flips mostly
    /// hit page structure, which SQLite itself refuses; these reach the reader's own decoding.
    /// `%V` is a boundary value; `%R` picks one row (rowid modulo 64).
    static let rowDamage = [
        "UPDATE collections SET dimension = %V WHERE rowid % 64 = %R",
        "UPDATE collections SET name = %V WHERE rowid % 64 = %R",
        "UPDATE collections SET config_json_str = %V WHERE rowid % 64 = %R",
        "UPDATE collections SET topic = %V WHERE rowid % 64 = %R",
        "UPDATE collection_metadata SET int_value = %V WHERE rowid % 64 = %R",
        "UPDATE collection_metadata SET str_value = %V WHERE rowid % 64 = %R",
        "UPDATE collection_metadata SET float_value = %V WHERE rowid % 64 = %R",
        "UPDATE segments SET type = %V WHERE rowid % 64 = %R",
        "UPDATE segments SET scope = %V WHERE rowid % 64 = %R",
        "UPDATE segments SET collection = %V WHERE rowid % 64 = %R",
        "UPDATE segment_metadata SET int_value = %V WHERE rowid % 64 = %R",
        "UPDATE segment_metadata SET str_value = %V WHERE rowid % 64 = %R",
        "UPDATE embeddings SET embedding_id = %V WHERE rowid % 64 = %R",
        "UPDATE embeddings SET seq_id = %V WHERE rowid % 64 = %R",
        "UPDATE embeddings SET segment_id = %V WHERE rowid % 64 = %R",
        "UPDATE embedding_metadata SET key = %V WHERE rowid % 64 = %R",
        "UPDATE embedding_metadata SET string_value = %V WHERE rowid % 64 = %R",
        "UPDATE embedding_metadata SET int_value = %V WHERE rowid % 64 = %R",
        "UPDATE embedding_metadata SET float_value = %V WHERE rowid % 64 = %R",
        "UPDATE embedding_metadata SET bool_value = %V WHERE rowid % 64 = %R",
        "UPDATE embedding_metadata SET id = %V WHERE rowid % 64 = %R",
        "UPDATE embedding_metadata_array SET int_value = %V WHERE rowid % 64 = %R",
        "UPDATE embedding_metadata_array SET string_value = %V WHERE rowid % 64 = %R",
        "UPDATE embeddings_queue SET operation = %V WHERE rowid % 64 = %R",
        "UPDATE embeddings_queue SET vector = %V WHERE rowid % 64 = %R",
        "UPDATE embeddings_queue SET encoding = %V WHERE rowid % 64 = %R",
        "UPDATE embeddings_queue SET metadata = %V WHERE rowid % 64 = %R",
        "UPDATE embeddings_queue SET seq_id = %V WHERE rowid % 64 = %R",
        "UPDATE embeddings_queue SET id = %V WHERE rowid % 64 = %R",
        "UPDATE embeddings_queue SET topic = %V WHERE rowid % 64 = %R",
        "UPDATE max_seq_id SET seq_id = %V WHERE rowid % 64 = %R",
        "UPDATE max_seq_id SET segment_id = %V WHERE rowid % 64 = %R",
        "UPDATE migrations SET version = %V WHERE rowid % 64 = %R",
        "UPDATE migrations SET dir = %V WHERE rowid % 64 = %R",
        "DELETE FROM segments WHERE rowid % 64 = %R",
        "DELETE FROM embeddings WHERE rowid % 64 = %R",
        "DELETE FROM collections WHERE rowid % 64 = %R",
        "DELETE FROM segment_metadata WHERE rowid % 64 = %R",
        "INSERT INTO embeddings_queue SELECT * FROM embeddings_queue WHERE rowid % 64 = %R",
        "INSERT INTO embedding_metadata SELECT * FROM embedding_metadata WHERE rowid % 64 = %R",
    ]

    static let boundaryValues = [
        "NULL", "0", "-1", "1", "3", "4", "5", "9223372036854775807", "-9223372036854775808", "4611686018427387904",
        "2147483648", "4294967296", "1e308", "-1e308", "0.5", "''", "'x'", "'a' || char(0) || 'b'", "X''", "X'00'",
        "X'FFFFFFFF'", "X'0000807F0000C07F'", "zeroblob(3)", "zeroblob(4000)", "'{'", "'[]'", "'{}'", "'null'",
        #"'{"a": 1e999}'"#, #"'{"chroma:document": 5}'"#, #"'{"a": [1, "b"]}'"#, #"'{"a": {"b": 1}}'"#,
        #"'{"hnsw": {"space": "nope"}}'"#, #"'{"hnsw_configuration": {"space": 7, "ef_search": -1}}'"#,
        "CAST(X'C328' AS TEXT)", "'FLOAT32'", "'INT32'", "'persistent://default/default/x'",
        "'urn:chroma:segment/vector/hnsw-local-persisted'", "'urn:chroma:segment/metadata/sqlite'",
        "(SELECT id FROM segments LIMIT 1)", "(SELECT id FROM collections LIMIT 1)", "'../../../../etc'",
        "'" + String(repeating: "a", count: 5000) + "'",
    ]

    /// Runs one row-damage statement on the copy's database; one that does not fit this
    /// version's schema (no such column or table, a constraint) damages nothing.
    func damageRows(statement: Int, value: Int, row: Int) {
        let sql = Self.rowDamage[statement % Self.rowDamage.count]
            .replacingOccurrences(of: "%V", with: Self.boundaryValues[value % Self.boundaryValues.count])
            .replacingOccurrences(of: "%R", with: String(row % 64))
        guard let db = try? StoreDatabase(path: persist.appendingPathComponent("chroma.sqlite3").path, readOnly: false) else { return }
        try? db.execute(sql)
        db.close()
    }

    /// Puts every damaged file back as it was (a removed one is written again).
    func restore(_ damage: Damage) { restore(indexes: [damage.index]) }

    func restore(indexes: Set<Int>) {
        for index in indexes {
            try? Data(files[index].bytes).write(to: persist.appendingPathComponent(files[index].path))
        }
    }

    /// The libFuzzer form of damage, so coverage guides it: `patches` is a list of 14-byte
    /// records `[file, op, offset u32 LE, value u64 LE]`; op 0-3 writes 1/2/4/8 bytes of value at
    /// the offset (modulo the size), 4 truncates there, 5 inserts the 8 value bytes there,
    /// 6 removes the file, 7 runs row damage `offset` with boundary value `value` on the database
    /// (whatever the file byte says). Returns the files touched, for `restore(indexes:)`.
    func apply(patches: ArraySlice<UInt8>) -> Set<Int> {
        var edited: [Int: [UInt8]] = [:], removed: Set<Int> = []
        var at = patches.startIndex
        while at + 14 <= patches.endIndex {
            var index = Int(patches[at]) % files.count
            let op = patches[at + 1] % 8
            var offset = 0, value: UInt64 = 0
            for k in 0..<4 { offset |= Int(patches[at + 2 + k]) << (8 * k) }
            for k in 0..<8 { value |= UInt64(patches[at + 6 + k]) << (8 * UInt64(k)) }
            at += 14
            if op == 7, let database = files.firstIndex(where: { $0.path == "chroma.sqlite3" }) {
                // Earlier byte patches of the database are written first, so both apply.
                index = database
                if let bytes = edited[database] { try? Data(bytes).write(to: persist.appendingPathComponent(files[database].path)) }
                damageRows(statement: offset & 0xFF, value: Int(value % 256), row: offset >> 8)
                edited[database] = [UInt8](( try? Data(contentsOf: persist.appendingPathComponent(files[database].path))) ?? Data())
                continue
            }
            var bytes = edited[index] ?? files[index].bytes
            let position = offset % (bytes.count + 1)
            let valueBytes = (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
            switch op {
            case 0...3:
                for k in 0..<(1 << Int(op)) where position + k < bytes.count { bytes[position + k] = valueBytes[k] }
            case 4: bytes.removeSubrange(position...)
            case 5: bytes.insert(contentsOf: valueBytes, at: position)
            default: removed.insert(index)
            }
            edited[index] = bytes
        }
        for (index, bytes) in edited {
            let url = persist.appendingPathComponent(files[index].path)
            if removed.contains(index) { try? FileManager.default.removeItem(at: url) } else { try? Data(bytes).write(to: url) }
        }
        return Set(edited.keys)
    }
}
