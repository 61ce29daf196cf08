import CVectorKernels
import Foundation
import KoHybridFiles
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The on-disk layout shared by ``FlatIndex`` and ``HNSWIndex``: one file, a 512-byte header,
/// then up to 8 sections, each 64-byte aligned so they can be used in place from a memory map.
///
/// ```
/// 0    magic "KHDENSE\0"        8  version (UInt32)    12 kind (UInt32: 1 flat, 2 hnsw)
/// 16   16 UInt64 fields (meaning per kind)
/// 144  section count (UInt32), then per section: offset, length, checksum (3 x UInt64)
/// 504  checksum of bytes 0..<504
/// ```
/// Integers and floats are little-endian (the byte order of every platform Swift runs on).
/// Checksums are ``kh_checksum`` over each section; a bad one names the section.
enum IndexFile {
    static let magic: [UInt8] = Array("KHDENSE\0".utf8)
    static let version: UInt32 = 1
    static let headerSize = 512
    static let maxSections = 8

    enum Kind: UInt32 { case flat = 1, hnsw = 2 }

    /// One section to write: its bytes and a name for error messages.
    struct Section {
        var name: String
        var bytes: UnsafeRawBufferPointer
    }

    /// Writes header + sections to `url` atomically and durably.
    static func write(to url: URL, kind: Kind, fields: [UInt64], sections: [Section]) throws(VectorIndexError) {
        precondition(fields.count <= 16 && sections.count <= maxSections)
        let path = url.path
        var header = [UInt8](repeating: 0, count: headerSize)
        func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
            withUnsafeBytes(of: value.littleEndian) { raw in
                for (i, b) in raw.enumerated() { header[offset + i] = b }
            }
        }
        for (i, b) in magic.enumerated() { header[i] = b }
        put(version, at: 8)
        put(kind.rawValue, at: 12)
        for (i, f) in fields.enumerated() { put(f, at: 16 + 8 * i) }
        put(UInt32(sections.count), at: 144)
        var offset = headerSize
        for (i, s) in sections.enumerated() {
            let base = 152 + 24 * i
            put(UInt64(offset), at: base)
            put(UInt64(s.bytes.count), at: base + 8)
            put(s.bytes.count == 0 ? 0 : kh_checksum(s.bytes.baseAddress, s.bytes.count), at: base + 16)
            offset = align(offset + s.bytes.count)
        }
        let headerSum = header.withUnsafeBytes { kh_checksum($0.baseAddress, 504) }
        put(headerSum, at: 504)

        let zeros = [UInt8](repeating: 0, count: 64)
        // Temporary file, fsync, rename, directory fsync (see `AtomicFile`).
        do {
            try AtomicFile.write(to: url) { (sink) throws(AtomicFileError) in
                try sink.write(header)
                var written = headerSize
                for s in sections {
                    if s.bytes.count > 0 { try sink.write(s.bytes) }
                    written += s.bytes.count
                    let pad = align(written) - written
                    if pad > 0 { try sink.write(Array(zeros[0 ..< pad])) }
                    written += pad
                }
            }
        } catch {
            throw .io(path: path, reason: error.description)
        }
    }

    /// The header checksum of a file (bytes 504..<512): it covers every section's checksum, so
    /// it is a digest of the whole file. Read without mapping the file; nil when unreadable.
    static func storedChecksum(_ url: URL) -> UInt64? {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { return nil }
        defer { try? handle.close() }
        let head = handle.readData(ofLength: headerSize)
        guard head.count == headerSize else { return nil }
        return UInt64(littleEndian: head.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 504, as: UInt64.self) })
    }

    /// Runs a body that throws only ``VectorIndexError`` through untyped `rethrows` APIs
    /// (such as `Array.withUnsafeBytes`) and gives the typed error back.
    static func typed(_ body: () throws -> Void) throws(VectorIndexError) {
        do { try body() } catch let error as VectorIndexError { throw error } catch {
            throw .io(path: "", reason: "\(error)")
        }
    }

    static func align(_ n: Int) -> Int { (n + 63) & ~63 }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// How much of an index file `open` checks before the index is used.
public enum FileVerification: Sendable {
    /// The header and every section's checksum. Reads the whole file once.
    case full
    /// The header and the checksums of every section except the large one holding vectors and
    /// layer-0 links, which stays untouched on disk until searches page it in (searches check
    /// every link against the slot count, so a damaged one cannot make them read out of bounds).
    /// Opening then costs O(records), not O(file size): the default.
    case metadata
}

/// An index file mapped into memory (private, copy-on-write: the index can use and even modify
/// its sections in place without touching the file). Unmapped when the last user lets go.
final class MappedIndexFile: @unchecked Sendable {
    let path: String
    let base: UnsafeMutableRawPointer
    let length: Int
    let kind: IndexFile.Kind
    let fields: [UInt64]
    /// Per section: offset and length in bytes.
    let sections: [(offset: Int, length: Int)]

    /// Maps and checks the file: magic, version, kind, header checksum, every section's bounds,
    /// and the checksums of the sections `verify` picks (by index).
    init(path: String, names: [String], verify: (Int) -> Bool = { _ in true }) throws(VectorIndexError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .io(path: path, reason: "cannot open: \(IndexFile.errnoText())") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .io(path: path, reason: "cannot stat: \(IndexFile.errnoText())") }
        let length = Int(st.st_size)
        guard length >= IndexFile.headerSize else {
            throw .corruptFile(path: path, reason: "truncated: \(length) bytes, shorter than the \(IndexFile.headerSize)-byte header")
        }
        guard let map = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0), map != MAP_FAILED else {
            throw .io(path: path, reason: "mmap failed: \(IndexFile.errnoText())")
        }
        var mapped = true
        defer { if mapped { munmap(map, length) } }
        func u32(_ o: Int) -> UInt32 { UInt32(littleEndian: map.loadUnaligned(fromByteOffset: o, as: UInt32.self)) }
        func u64(_ o: Int) -> UInt64 { UInt64(littleEndian: map.loadUnaligned(fromByteOffset: o, as: UInt64.self)) }
        let magic = (0..<8).map { map.load(fromByteOffset: $0, as: UInt8.self) }
        guard magic == IndexFile.magic else { throw .corruptFile(path: path, reason: "bad magic (not a KoHybrid vector index)") }
        guard u32(8) == IndexFile.version else {
            throw .corruptFile(path: path, reason: "format version \(u32(8)), this build reads version \(IndexFile.version)")
        }
        guard kh_checksum(map, 504) == u64(504) else { throw .corruptFile(path: path, reason: "header checksum mismatch") }
        guard let kind = IndexFile.Kind(rawValue: u32(12)) else { throw .corruptFile(path: path, reason: "unknown index kind \(u32(12))") }
        let count = Int(u32(144))
        guard count == names.count else {
            throw .corruptFile(path: path, reason: "\(count) sections, expected \(names.count)")
        }
        var sections: [(offset: Int, length: Int)] = []
        for i in 0..<count {
            let o = 152 + 24 * i
            let offset = Int(truncatingIfNeeded: u64(o)), len = Int(truncatingIfNeeded: u64(o + 8))
            guard offset >= IndexFile.headerSize, len >= 0, offset % 64 == 0, offset <= length, len <= length - offset else {
                throw .corruptFile(path: path, reason: "truncated or damaged: section '\(names[i])' (\(len) bytes at \(offset)) exceeds the file's \(length) bytes")
            }
            if verify(i) && len > 0 && kh_checksum(map + offset, len) != u64(o + 16) {
                throw .corruptFile(path: path, reason: "checksum mismatch in section '\(names[i])' (bytes \(offset)..<\(offset + len))")
            }
            sections.append((offset, len))
        }
        self.base = map
        self.length = length
        self.kind = kind
        self.fields = (0..<16).map { u64(16 + 8 * $0) }
        self.sections = sections
        mapped = false
    }

    func pointer(section i: Int) -> UnsafeMutableRawPointer { base + sections[i].offset }

    deinit { munmap(base, length) }
}
