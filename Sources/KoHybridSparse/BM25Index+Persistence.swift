import Foundation
import KoHybridAnalysis
import KoHybridFiles

/// On-disk format, version 3, little-endian. Every array is one section copied in bulk, so
/// opening costs a memory copy and a checksum pass, not a rebuild (the store's cold open at
/// 60,000 records depends on it):
///
///     magic "KHBM25IX" | version u32
///     k1 f32 | b f32 | fields u32
///     per field: weight f32 | stream u8 | name bytes u32 | name | part bytes u32 | part
///     bound length f64 × fields
///     docs u32 | terms u32 | postings u64 | term text bytes u64
///     doc keys u64 × docs | per field: lengths f32 × docs
///     term field numbers u8 × terms | term text ends u32 × terms | term text | term bounds f32 × terms
///     posting counts u32 × terms | postings (doc u32, tf f32) × postings
///     checksum u64 of every byte before it (`Checksum64`)
///
/// The index is compacted before writing, so doc numbers are dense and lists packed in term
/// order. The per-document term lists that deletes need are rebuilt on the first change.
extension BM25Index {
    static let magic = Array("KHBM25IX".utf8)
    /// 3: fields as a list (2 had exactly word and bigram).
    static let formatVersion: UInt32 = 3

    /// Writes the index atomically and durably (see `AtomicFile`).
    public func write(to url: URL) throws(BM25Error) {
        var index = self
        if index.deadCount > 0 || !index.postings.isPacked { index.compact() }
        var out = ByteWriter()
        out.array(Self.magic)
        out.value(Self.formatVersion.littleEndian)
        out.value(parameters.k1.bitPattern.littleEndian)
        out.value(parameters.b.bitPattern.littleEndian)
        out.value(UInt32(index.fieldCount).littleEndian)
        for field in parameters.fields.prefix(index.fieldCount) {
            out.value(field.weight.bitPattern.littleEndian)
            out.value(UInt8(field.terms.rawValue))
            for text in [field.name, field.part] {
                out.value(UInt32(text.utf8.count).littleEndian)
                out.array(Array(text.utf8))
            }
        }
        for value in index.boundLength { out.value(value.bitPattern.littleEndian) }
        var termText: [UInt8] = []
        var textEnds: [UInt32] = []
        for key in index.termKeys {
            termText.append(contentsOf: key.text.utf8)
            textEnds.append(UInt32(termText.count))
        }
        out.value(UInt32(index.docKeys.count).littleEndian)
        out.value(UInt32(index.termKeys.count).littleEndian)
        out.value(UInt64(index.postings.data.count).littleEndian)
        out.value(UInt64(termText.count).littleEndian)
        out.array(index.docKeys)
        for lengths in index.lengths { out.array(lengths) }
        out.array(index.termKeys.map(\.field))
        out.array(textEnds)
        out.array(termText)
        out.array(index.termBound)
        out.array(index.postings.counts)
        out.array(index.postings.data)
        out.value(out.data.withUnsafeBytes { Checksum64.of($0) }.littleEndian)

        // Temporary file, fsync, rename, directory fsync: readers see the old file or the new one.
        do { try AtomicFile.write(out.data, to: url) } catch {
            throw .io(path: url.path, reason: "cannot write BM25 index: \(error.description)")
        }
    }

    /// The checksum stored in a file's last 8 bytes (a digest of the whole file), read without
    /// opening the index; nil when the file cannot be read.
    public static func storedChecksum(_ url: URL) -> UInt64? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard let end = try? handle.seekToEnd(), end >= 8 else { return nil }
        try? handle.seek(toOffset: end - 8)
        guard let tail = try? handle.read(upToCount: 8), tail.count == 8 else { return nil }
        return UInt64(littleEndian: tail.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
    }

    /// Opens an index written by `write(to:)`. A wrong, truncated or corrupt file is an error that
    /// names it; nothing in the file is trusted before its checksum and bounds are checked.
    public static func open(_ url: URL) throws(BM25Error) -> BM25Index {
        let path = url.path
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw .io(path: path, reason: "cannot read BM25 index: \(FileSystemErrorText.describe(error))")
        }
        do {
            return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws(BM25Error) -> BM25Index in
                try decode(raw, path: path)
            }
        } catch let error as BM25Error {
            throw error
        } catch {
            throw .io(path: path, reason: "\(error)")
        }
    }

    private static func decode(_ raw: UnsafeRawBufferPointer, path: String) throws(BM25Error) -> BM25Index {
        guard raw.count >= magic.count, Array(raw[0..<magic.count]) == magic else { throw .notAnIndex(path: path) }
        var reader = ByteReader(raw: raw, path: path, offset: magic.count)
        let version = UInt32(littleEndian: try reader.value(UInt32.self))
        guard version == formatVersion else { throw .unsupportedVersion(path: path, version: version) }
        guard raw.count >= reader.offset + 8 else { throw .truncated(path: path, offset: raw.count) }
        let body = raw.count - 8
        let stored = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: body, as: UInt64.self))
        // A short file fails here too: its last 8 bytes are not the checksum of the rest.
        guard stored == Checksum64.of(UnsafeRawBufferPointer(rebasing: raw[0..<body])) else {
            throw .checksumMismatch(path: path)
        }
        reader.end = body

        var parameters = BM25Parameters()
        parameters.k1 = Float(bitPattern: UInt32(littleEndian: try reader.value(UInt32.self)))
        parameters.b = Float(bitPattern: UInt32(littleEndian: try reader.value(UInt32.self)))
        let fieldCount = Int(UInt32(littleEndian: try reader.value(UInt32.self)))
        guard (1...BM25Parameters.maximumFieldCount).contains(fieldCount) else {
            throw .corrupt(path: path, reason: "\(fieldCount) fields (1 to \(BM25Parameters.maximumFieldCount))")
        }
        parameters.fields = []
        for _ in 0..<fieldCount {
            let weight = Float(bitPattern: UInt32(littleEndian: try reader.value(UInt32.self)))
            guard let stream = TermField(rawValue: Int(try reader.value(UInt8.self))) else {
                throw .corrupt(path: path, reason: "field \(parameters.fields.count) has an unknown term stream")
            }
            var texts: [String] = []
            for _ in 0..<2 {
                let count = Int(UInt32(littleEndian: try reader.value(UInt32.self)))
                texts.append(String(decoding: try reader.array(UInt8.self, count: count), as: UTF8.self))
            }
            parameters.fields.append(BM25Field(texts[0], part: texts[1], terms: stream, weight: weight))
        }
        if let problem = parameters.problem { throw .corrupt(path: path, reason: problem) }
        var index = BM25Index(parameters: parameters)
        for field in index.boundLength.indices {
            index.boundLength[field] = Double(bitPattern: UInt64(littleEndian: try reader.value(UInt64.self)))
        }
        let docCount = Int(UInt32(littleEndian: try reader.value(UInt32.self)))
        let termCount = Int(UInt32(littleEndian: try reader.value(UInt32.self)))
        let postingCount = Int(clamping: UInt64(littleEndian: try reader.value(UInt64.self)))
        let textCount = Int(clamping: UInt64(littleEndian: try reader.value(UInt64.self)))

        index.docKeys = try reader.array(UInt64.self, count: docCount)
        for field in index.lengths.indices { index.lengths[field] = try reader.array(Float.self, count: docCount) }
        let fields = try reader.array(UInt8.self, count: termCount)
        let textEnds = try reader.array(UInt32.self, count: termCount)
        let text = try reader.array(UInt8.self, count: textCount)
        index.termBound = try reader.array(Float.self, count: termCount)
        let counts = try reader.array(Int32.self, count: termCount)
        let postings = try reader.array(Posting.self, count: postingCount)
        guard reader.offset == body else {
            throw .corrupt(path: path, reason: "\(body - reader.offset) unexpected bytes before the checksum")
        }

        // Documents: unique keys, finite non-negative lengths.
        index.alive = Array(repeating: true, count: docCount)
        index.docNumbers.reserveCapacity(docCount)
        for (doc, key) in index.docKeys.enumerated() {
            guard index.docNumbers.updateValue(UInt32(doc), forKey: key) == nil else {
                throw .corrupt(path: path, reason: "duplicate document key \(key)")
            }
        }
        for field in index.lengths.indices {
            for length in index.lengths[field] {
                guard length.isFinite, length >= 0 else { throw .corrupt(path: path, reason: "bad document length \(length)") }
                index.totalLength[field] += Double(length)
            }
        }

        // Terms: valid fields, text ranges inside the text section, no duplicates.
        index.termKeys.reserveCapacity(termCount)
        index.termIDs.reserveCapacity(termCount)
        var textStart = 0
        for id in 0..<termCount {
            let textEnd = Int(textEnds[id])
            let field = fields[id]
            guard Int(field) < fieldCount, textEnd >= textStart, textEnd <= text.count else {
                throw .corrupt(path: path, reason: "term \(id) has a bad field or text range")
            }
            let key = TermKey(field: field, text: String(decoding: text[textStart..<textEnd], as: UTF8.self))
            guard index.termIDs.updateValue(UInt32(id), forKey: key) == nil else {
                throw .corrupt(path: path, reason: "duplicate term \(key.text)")
            }
            index.termKeys.append(key)
            textStart = textEnd
        }

        // Postings: counts add up, each list strictly increasing in doc, tf positive.
        guard counts.allSatisfy({ $0 >= 0 }), counts.reduce(0, { $0 + Int($1) }) == postingCount else {
            throw .corrupt(path: path, reason: "posting counts do not add up to \(postingCount)")
        }
        var offset = 0
        for (id, count) in counts.enumerated() {
            var previous: Int64 = -1
            for posting in postings[offset..<(offset + Int(count))] {
                guard Int(posting.doc) < docCount, Int64(posting.doc) > previous, posting.tf > 0 else {
                    throw .corrupt(path: path, reason: "term \(index.termKeys[id].text): bad posting (doc \(posting.doc), tf \(posting.tf))")
                }
                previous = Int64(posting.doc)
            }
            offset += Int(count)
        }
        index.postings = PostingStore(packed: postings, counts: counts)
        index.docTerms = []
        index.hasForwardLists = docCount == 0
        // Bounds come from the file; make sure they still cover the averages (they were written so).
        index.refreshBoundsIfNeeded()
        return index
    }
}

/// Appends values and whole arrays as their in-memory bytes (this format is little-endian; so is
/// every platform Swift runs this package on, which `ByteReader` checks).
struct ByteWriter {
    var data: [UInt8] = []
    mutating func value<T: BitwiseCopyable>(_ v: T) { withUnsafeBytes(of: v) { data.append(contentsOf: $0) } }
    mutating func array<T: BitwiseCopyable>(_ values: [T]) { values.withUnsafeBytes { data.append(contentsOf: $0) } }
}

struct ByteReader {
    let raw: UnsafeRawBufferPointer
    let path: String
    var offset: Int
    var end: Int

    init(raw: UnsafeRawBufferPointer, path: String, offset: Int) {
        self.raw = raw; self.path = path; self.offset = offset; self.end = raw.count
    }

    private func require(_ count: Int) throws(BM25Error) {
        guard count >= 0, count <= end - offset else { throw .truncated(path: path, offset: offset) }
    }

    mutating func value<T: BitwiseCopyable>(_ type: T.Type) throws(BM25Error) -> T {
        try require(MemoryLayout<T>.size)
        defer { offset += MemoryLayout<T>.size }
        return raw.loadUnaligned(fromByteOffset: offset, as: T.self)
    }

    /// `count` values copied out in one block.
    mutating func array<T: BitwiseCopyable>(_ type: T.Type, count: Int) throws(BM25Error) -> [T] {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        guard !overflow else { throw .truncated(path: path, offset: offset) }
        try require(bytes)
        let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + bytes)]))
            initialized = count
        }
        offset += bytes
        return values
    }
}

#if _endian(big)
#error("The BM25 index file format is little-endian; big-endian hosts are not supported.")
#endif
