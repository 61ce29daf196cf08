import Foundation
import KoHybridAnalysis
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// On-disk format, version 1, little-endian:
///
///     magic "KHBM25IX" | version u32 | k1 f32 | b f32 | word weight f32 | bigram weight f32
///     docs u32 | terms u32
///     docs × (key u64, word length f32, bigram length f32)
///     terms × (field u8, text length u32, UTF-8 text, postings u32, postings × (doc u32, tf f32))
///     FNV-1a 64 checksum of every byte before it
///
/// The index is compacted before writing, so doc numbers are dense and postings lists sorted; the
/// forward lists and score bounds are rebuilt from the postings on open, no re-analysis needed.
extension BM25Index {
    static let magic = Array("KHBM25IX".utf8)
    static let formatVersion: UInt32 = 1

    /// Writes the index atomically: a temporary file in the same directory, then a rename.
    public func write(to url: URL) throws(BM25Error) {
        var index = self
        if index.deadCount > 0 { index.compact() }
        var out = ByteWriter()
        out.bytes(Self.magic)
        out.u32(Self.formatVersion)
        out.f32(parameters.k1); out.f32(parameters.b)
        out.f32(parameters.fieldWeights.word); out.f32(parameters.fieldWeights.bigram)
        out.u32(UInt32(index.docKeys.count))
        out.u32(UInt32(index.termKeys.count))
        for doc in index.docKeys.indices {
            out.u64(index.docKeys[doc])
            out.f32(index.lengths[0][doc]); out.f32(index.lengths[1][doc])
        }
        for id in index.termKeys.indices {
            let key = index.termKeys[id]
            let text = Array(key.text.utf8)
            out.u8(UInt8(key.field.rawValue))
            out.u32(UInt32(text.count)); out.bytes(text)
            out.u32(UInt32(index.postings.count(id)))
            for posting in index.postings[id] { out.u32(posting.doc); out.f32(posting.tf) }
        }
        out.u64(FNV1a.hash(out.data))
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try Data(out.data).write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw .io(path: url.path, reason: "cannot write BM25 index: \(error.localizedDescription)")
        }
        // rename(2) replaces the target atomically: readers see the old file or the new one.
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw .io(path: url.path, reason: "cannot replace BM25 index: \(reason)")
        }
    }

    /// Opens an index written by `write(to:)`. A wrong, truncated or corrupt file is an error that
    /// names it.
    public static func open(_ url: URL) throws(BM25Error) -> BM25Index {
        let path = url.path
        let data: [UInt8]
        do { data = try [UInt8](Data(contentsOf: url)) } catch {
            throw .io(path: path, reason: "cannot read BM25 index: \(error.localizedDescription)")
        }
        guard data.count >= magic.count, Array(data[0..<magic.count]) == magic else { throw .notAnIndex(path: path) }
        var reader = ByteReader(data: data, path: path, offset: magic.count)
        let version = try reader.u32()
        guard version == formatVersion else { throw .unsupportedVersion(path: path, version: version) }
        guard data.count >= magic.count + 12 else { throw .truncated(path: path, offset: data.count) }
        let body = data.count - 8
        var tail = ByteReader(data: data, path: path, offset: body)
        guard try tail.u64() == FNV1a.hash(data[0..<body]) else {
            // A short file fails here too; say which it is.
            throw .checksumMismatch(path: path)
        }
        reader.end = body
        var parameters = BM25Parameters()
        parameters.k1 = try reader.f32(); parameters.b = try reader.f32()
        parameters.fieldWeights.word = try reader.f32(); parameters.fieldWeights.bigram = try reader.f32()
        let docCount = Int(try reader.u32())
        let termCount = Int(try reader.u32())
        var index = BM25Index(parameters: parameters)
        try reader.require(docCount * 16)
        index.docKeys.reserveCapacity(docCount)
        for doc in 0..<docCount {
            let key = try reader.u64()
            guard index.docNumbers.updateValue(UInt32(doc), forKey: key) == nil else {
                throw .corrupt(path: path, reason: "duplicate document key \(key)")
            }
            index.docKeys.append(key)
            index.alive.append(true)
            for field in 0..<2 {
                let length = try reader.f32()
                index.lengths[field].append(length)
                index.totalLength[field] += Double(length)
            }
        }
        index.docTerms = Array(repeating: [], count: docCount)
        for id in 0..<termCount {
            guard let field = TermField(rawValue: Int(try reader.u8())) else {
                throw .corrupt(path: path, reason: "term \(id) has an unknown field")
            }
            let textLength = Int(try reader.u32())
            let text = String(decoding: try reader.bytes(textLength), as: UTF8.self)
            let key = TermKey(field: field, text: text)
            guard index.termIDs.updateValue(UInt32(id), forKey: key) == nil else {
                throw .corrupt(path: path, reason: "duplicate term \(text)")
            }
            index.termKeys.append(key)
            let postingCount = Int(try reader.u32())
            try reader.require(postingCount * 8)
            var list: [Posting] = []
            list.reserveCapacity(postingCount)
            var previous: Int64 = -1
            for _ in 0..<postingCount {
                let doc = try reader.u32(), tf = try reader.f32()
                guard Int(doc) < docCount, Int64(doc) > previous, tf > 0 else {
                    throw .corrupt(path: path, reason: "term \(text): bad posting (doc \(doc), tf \(tf))")
                }
                previous = Int64(doc)
                list.append(Posting(doc: doc, tf: tf))
                index.docTerms[Int(doc)].append(UInt32(id))
            }
            index.postings.addList(list)
            index.termBound.append(0)
        }
        guard reader.offset == body else {
            throw .corrupt(path: path, reason: "\(body - reader.offset) unexpected bytes before the checksum")
        }
        index.refreshBoundsIfNeeded(force: true)
        return index
    }
}

/// FNV-1a, 64 bit: a simple, dependency-free checksum against torn or corrupted files.
enum FNV1a {
    static func hash<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }
}

struct ByteWriter {
    var data: [UInt8] = []
    mutating func bytes(_ b: [UInt8]) { data.append(contentsOf: b) }
    mutating func u8(_ v: UInt8) { data.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
    mutating func f32(_ v: Float) { u32(v.bitPattern) }
}

struct ByteReader {
    let data: [UInt8]
    let path: String
    var offset: Int
    var end: Int

    init(data: [UInt8], path: String, offset: Int) {
        self.data = data; self.path = path; self.offset = offset; self.end = data.count
    }

    func require(_ count: Int) throws(BM25Error) {
        guard count >= 0, offset + count <= end else { throw .truncated(path: path, offset: offset) }
    }

    mutating func bytes(_ count: Int) throws(BM25Error) -> ArraySlice<UInt8> {
        try require(count)
        defer { offset += count }
        return data[offset..<(offset + count)]
    }

    mutating func u8() throws(BM25Error) -> UInt8 { try bytes(1).first ?? 0 }

    mutating func u32() throws(BM25Error) -> UInt32 {
        let b = try bytes(4)
        return b.reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func u64() throws(BM25Error) -> UInt64 {
        let b = try bytes(8)
        return b.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func f32() throws(BM25Error) -> Float { Float(bitPattern: try u32()) }
}
