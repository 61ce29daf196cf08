import Foundation

/// Errors from reading and writing index files; each names the file.
public enum BM25Error: Error, Sendable, Equatable, CustomStringConvertible {
    case notAnIndex(path: String)
    case unsupportedVersion(path: String, version: UInt32)
    case truncated(path: String, offset: Int)
    case checksumMismatch(path: String)
    case corrupt(path: String, reason: String)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .notAnIndex(let path): "\(path): not a KoHybrid BM25 index (bad magic bytes)"
        case .unsupportedVersion(let path, let version): "\(path): unsupported BM25 index format version \(version)"
        case .truncated(let path, let offset): "\(path): BM25 index file is truncated (needed more bytes at offset \(offset))"
        case .checksumMismatch(let path): "\(path): BM25 index checksum mismatch (file is corrupt)"
        case .corrupt(let path, let reason): "\(path): corrupt BM25 index: \(reason)"
        case .io(let path, let reason): "\(path): \(reason)"
        }
    }
}
