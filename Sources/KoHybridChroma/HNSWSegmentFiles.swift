import Foundation
import KoHybridFiles
import KoHybridDatasets

/// The hnswlib files of one Chroma VECTOR segment (`<persist>/<segment id>/`), read without
/// hnswlib: `header.bin` (100 bytes), `data_level0.bin` (one fixed-size record per element:
/// link header, neighbour ids, vector, label) and `length.bin` (the norms of cosine vectors).
/// Layout: Chroma's fork of hnswlib (Malkov & Yashunin 2018), persistence version 1, identical in
/// chroma-hnswlib 0.7.3/0.7.6 and the copies inside chromadb 1.0/1.5.
struct HNSWSegmentFiles {
    /// The fields of `header.bin` a reader needs.
    struct Header: Equatable {
        var offsetLevel0: UInt64
        var maxElements: UInt64
        /// Elements ever inserted, deleted ones included; bounds the records to read.
        var elementCount: UInt64
        var sizePerElement: UInt64
        var labelOffset: UInt64
        var dataOffset: UInt64
        var dimension: Int { Int((labelOffset - dataOffset) / 4) }
    }

    /// One live (not deleted) element.
    struct Element {
        var label: UInt64
        var vector: [Float]
    }

    static let headerSize = 100
    static let persistenceVersion: Int32 = 1
    /// Bit 0 of byte 2 of an element's link header marks it deleted.
    static let deletedMask: UInt32 = 0x0001_0000

    let folder: URL
    let header: Header

    /// Reads and checks `header.bin`.
    init(folder: URL) throws(ChromaError) {
        self.folder = folder
        let path = folder.appendingPathComponent("header.bin").path
        let bytes = try Self.readFile(path)
        guard bytes.count >= Self.headerSize else {
            throw .corruptData(path: path, reason: "header.bin holds \(bytes.count) bytes, expected \(Self.headerSize)")
        }
        let version = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 0, as: Int32.self) }
        guard Int32(littleEndian: version) == Self.persistenceVersion else {
            throw .unsupportedVersion(path: path, reason: "hnswlib persistence version \(Int32(littleEndian: version)), only \(Self.persistenceVersion) is known")
        }
        func u64(_ offset: Int) -> UInt64 {
            UInt64(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self) })
        }
        let header = Header(offsetLevel0: u64(4), maxElements: u64(12), elementCount: u64(20),
                            sizePerElement: u64(28), labelOffset: u64(36), dataOffset: u64(44))
        // The 2^32 bound keeps every later offset computation far from overflow.
        guard header.dataOffset >= 4, header.labelOffset > header.dataOffset, header.labelOffset < 1 << 32,
              header.offsetLevel0 < 1 << 32,
              (header.labelOffset - header.dataOffset) % 4 == 0,
              header.sizePerElement == header.labelOffset + 8,
              header.elementCount <= header.maxElements else {
            throw .corruptData(path: path, reason: "inconsistent header (data offset \(header.dataOffset), label offset \(header.labelOffset), element size \(header.sizePerElement), \(header.elementCount) of \(header.maxElements) elements)")
        }
        self.header = header
    }

    /// Every element not marked deleted, in internal-id order. For a cosine index hnswlib stores
    /// unit vectors and keeps each norm in `length.bin`; multiplying back in float32 gives what
    /// Chroma itself returns.
    func liveElements(cosine: Bool) throws(ChromaError) -> [Element] {
        let count = Int(clamping: header.elementCount)
        guard count > 0 else { return [] }
        let levelPath = folder.appendingPathComponent("data_level0.bin").path
        let level0 = try Self.readFile(levelPath)
        let size = Int(header.sizePerElement), base = Int(header.offsetLevel0)  // bounded by init
        // 1.x writes the file sparsely, 0.x pre-sizes it: only the header count is meaningful.
        guard base <= level0.count, count <= (level0.count - base) / size else {
            throw .corruptData(path: levelPath, reason: "holds \(level0.count) bytes, the header needs \(count) elements × \(size) bytes")
        }
        var lengths: [Float] = []
        if cosine {
            let lengthPath = folder.appendingPathComponent("length.bin").path
            let raw = try Self.readFile(lengthPath)
            guard raw.count >= 4 * count else {
                throw .corruptData(path: lengthPath, reason: "holds \(raw.count / 4) norms, the header needs \(count)")
            }
            lengths = raw.withUnsafeBytes { buffer in
                (0..<count).map { Float(bitPattern: UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
            }
        }
        let dimension = header.dimension
        let dataOffset = Int(header.dataOffset), labelOffset = Int(header.labelOffset)
        return level0.withUnsafeBytes { buffer in
            var elements: [Element] = []
            elements.reserveCapacity(count)
            for index in 0..<count {
                let start = base + index * size
                let links = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: start, as: UInt32.self))
                if links & Self.deletedMask != 0 { continue }
                let label = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: start + labelOffset, as: UInt64.self))
                let length = cosine ? lengths[index] : 1
                let vector = [Float](unsafeUninitializedCapacity: dimension) { out, initialized in
                    for k in 0..<dimension {
                        let bits = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: start + dataOffset + 4 * k, as: UInt32.self))
                        let stored = Float(bitPattern: bits)
                        out[k] = cosine ? stored * length : stored
                    }
                    initialized = dimension
                }
                elements.append(Element(label: label, vector: vector))
            }
            return elements
        }
    }

    static func readFile(_ path: String) throws(ChromaError) -> Data {
        guard FileManager.default.fileExists(atPath: path) else {
            throw .missingFile(path: path, reason: "part of an HNSW segment")
        }
        do { return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw .unreadableFile(path: path, reason: FileSystemErrorText.describe(error))
        }
    }
}
