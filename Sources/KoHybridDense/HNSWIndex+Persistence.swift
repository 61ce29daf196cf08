import Foundation
import KoHybridCore

extension HNSWIndex {
    static let sectionNames = ["level0", "keys", "levels", "deleted", "upperOffset", "upper"]

    /// Writes the index to `url` in one file (see ``IndexFile``), atomically. Upper-layer links
    /// are compacted on the way out; everything else is written as it lies in memory.
    public func write(to url: URL) throws(VectorIndexError) {
        try lock.read { () throws(VectorIndexError) in
            let g = graph
            let n = g.slotCount
            // Compact the upper-layer lists (reused slots may have left holes).
            var offsets = [UInt32](repeating: 0, count: n)
            var upper: [UInt32] = []
            for slot in 0 ..< n where g.levels[slot] > 0 {
                offsets[slot] = UInt32(upper.count)
                let words = Int(g.levels[slot]) * (g.maxLinks + 1)
                upper.append(contentsOf: UnsafeBufferPointer(start: g.upper.base + Int(g.upperOffset[slot]), count: words))
            }
            let p = g.parameters
            let fields: [UInt64] = [
                UInt64(dimension), UInt64(metric.fileCode), UInt64(p.m), UInt64(p.efConstruction),
                UInt64(p.efSearch), p.seed, UInt64(n), UInt64(g.liveCount),
                UInt64(g.entryPoint), UInt64(bitPattern: Int64(g.maxLevel)), UInt64(g.recordWords),
                g.levelGenerator.state, UInt64(upper.count),
            ]
            func raw<T>(_ p: UnsafeMutablePointer<T>, _ count: Int) -> UnsafeRawBufferPointer {
                UnsafeRawBufferPointer(start: p, count: count * MemoryLayout<T>.stride)
            }
            try IndexFile.typed {
                try offsets.withUnsafeBytes { offsetBytes in
                    try upper.withUnsafeBytes { upperBytes in
                    try IndexFile.write(to: url, kind: .hnsw, fields: fields, sections: [
                        .init(name: "level0", bytes: raw(g.level0.base, n * g.recordWords)),
                        .init(name: "keys", bytes: raw(g.keys.base, n)),
                        .init(name: "levels", bytes: raw(g.levels.base, n)),
                        .init(name: "deleted", bytes: raw(g.deleted.base, n)),
                        .init(name: "upperOffset", bytes: offsetBytes),
                        .init(name: "upper", bytes: upperBytes),
                        ])
                    }
                }
            }
        }
    }

    /// Opens an index file by memory-mapping it: vectors and links are used in place
    /// (copy-on-write, so later inserts never touch the file); only the key table is rebuilt.
    /// `verification: .full` also checksums the vectors and layer-0 links (reading the whole file).
    ///
    /// A truncated, damaged or foreign file throws ``VectorIndexError/corruptFile(path:reason:)``
    /// naming the file and the section.
    public static func open(_ url: URL, verification: FileVerification = .metadata) throws(VectorIndexError) -> HNSWIndex {
        let path = url.path
        let file = try MappedIndexFile(path: path, names: sectionNames, verify: { verification == .full || $0 != 0 })
        guard file.kind == .hnsw else { throw .corruptFile(path: path, reason: "holds a flat index, not HNSW (open it with FlatIndex or DenseIndex)") }
        return try HNSWIndex(graph: graph(from: file))
    }

    static func graph(from file: MappedIndexFile) throws(VectorIndexError) -> HNSWGraph {
        let f = file.fields, path = file.path
        func bad(_ reason: String) -> VectorIndexError { .corruptFile(path: path, reason: reason) }
        guard let metric = DistanceMetric(fileCode: UInt32(truncatingIfNeeded: f[1])) else { throw bad("unknown metric code \(f[1])") }
        // Every field is bounded before it becomes an Int or enters a product: a damaged
        // header must be an error, never an overflow trap.
        guard f[0] > 0, f[0] < 1 << 20, f[2] >= 2, f[2] <= 255, f[6] < 1 << 32,
              f[3] < 1 << 32, f[4] < 1 << 32, f[10] < 1 << 32, f[12] < 1 << 40 else { throw bad("implausible header values") }
        let parameters = HNSWParameters(m: Int(f[2]), efConstruction: Int(f[3]), efSearch: Int(f[4]), seed: f[5])
        let g = HNSWGraph(dimension: Int(f[0]), metric: metric, parameters: parameters)
        let n = Int(f[6]), upperWords = Int(f[12])
        let expected = [n * g.recordWords * 4, n * 8, n, n, n * 4, upperWords * 4]
        for (i, bytes) in expected.enumerated() where file.sections[i].length != bytes {
            throw bad("section '\(sectionNames[i])' has \(file.sections[i].length) bytes, expected \(bytes)")
        }
        guard UInt64(g.recordWords) == f[10] else { throw bad("record size \(f[10]) words, expected \(g.recordWords)") }
        g.level0 = RawBuffer(borrowing: file.pointer(section: 0), capacity: n * g.recordWords)
        g.keys = RawBuffer(borrowing: file.pointer(section: 1), capacity: n)
        g.levels = RawBuffer(borrowing: file.pointer(section: 2), capacity: n)
        g.deleted = RawBuffer(borrowing: file.pointer(section: 3), capacity: n)
        g.upperOffset = RawBuffer(borrowing: file.pointer(section: 4), capacity: n)
        g.upper = RawBuffer(borrowing: file.pointer(section: 5), capacity: upperWords)
        g.mapping = file
        g.slotCount = n
        g.upperUsed = upperWords
        g.entryPoint = UInt32(truncatingIfNeeded: f[8])
        g.maxLevel = Int(Int64(bitPattern: f[9]))
        g.levelGenerator = SplitMix64(seed: f[11])
        g.allocateNodeLocks(n)
        g.slotOfKey.reserveCapacity(n)
        for slot in 0 ..< n {
            switch g.deleted[slot] {
            case HNSWGraph.live: g.slotOfKey[g.keys[slot]] = UInt32(slot)
            case HNSWGraph.tombstone: g.tombstones.append(UInt32(slot))
            case HNSWGraph.free: g.freeSlots.append(UInt32(slot))
            default: throw bad("slot \(slot) has an unknown state \(g.deleted[slot])")
            }
        }
        g.liveCount = g.slotOfKey.count
        guard UInt64(g.liveCount) == f[7] else { throw bad("\(g.liveCount) live records, header says \(f[7]) (duplicate keys?)") }
        // Upper layers and the entry point are checked here (small); layer-0 links are
        // bounds-checked as searches follow them, so opening never reads the whole file.
        do { try g.checkInvariants(thorough: false, layer0: false) } catch { throw bad("\(error)") }
        return g
    }
}
