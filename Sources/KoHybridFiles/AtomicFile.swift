import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Publishes a file so that a crash or power loss leaves either the old file or the complete new
/// one, never a torn mix: write a temporary file in the same directory, `fsync` it, `rename(2)`
/// it over the target, then `fsync` the directory so the rename itself is durable.
///
/// Every index snapshot file (BM25, vectors, manifest) is published through this one helper.
/// Temporary files are named `.<name>.<uuid>.tmp`, so cleanup code can recognize leftovers.
///
/// ```swift
/// try AtomicFile.write(to: url) { sink in
///     try sink.write(header)
///     try sink.write(body)
/// }
/// ```
public enum AtomicFile {
    /// Receives the new file's bytes.
    public struct Sink {
        let descriptor: Int32
        let path: String

        /// Appends all of `bytes` (retrying short writes).
        public func write(_ bytes: UnsafeRawBufferPointer) throws(AtomicFileError) {
            var done = 0
            while done < bytes.count {
                let n = systemWrite(descriptor, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw .io(path: path, reason: "write failed: \(errnoText())") }
                done += n
            }
        }

        public func write(_ bytes: [UInt8]) throws(AtomicFileError) {
            var failure: AtomicFileError?
            bytes.withUnsafeBytes { raw in
                do throws(AtomicFileError) { try write(raw) } catch { failure = error }
            }
            if let failure { throw failure }
        }
    }

    /// Whether `name` is a temporary file this helper creates.
    public static func isTemporary(_ name: String) -> Bool { name.hasPrefix(".") && name.hasSuffix(".tmp") }

    /// Writes `url` atomically and durably with the bytes `body` gives the sink.
    public static func write(to url: URL, _ body: (Sink) throws(AtomicFileError) -> Void) throws(AtomicFileError) {
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        let temporary = (directory as NSString).appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, reason: "cannot create \(temporary): \(errnoText())") }
        var published = false
        defer { if !published { unlink(temporary) } }
        do throws(AtomicFileError) {
            try body(Sink(descriptor: fd, path: temporary))
            guard fsync(fd) == 0 else { throw AtomicFileError.io(path: temporary, reason: "fsync failed: \(errnoText())") }
        } catch {
            close(fd)
            throw error
        }
        guard close(fd) == 0 else { throw .io(path: temporary, reason: "close failed: \(errnoText())") }
        guard rename(temporary, path) == 0 else { throw .io(path: path, reason: "cannot rename \(temporary) into place: \(errnoText())") }
        published = true
        syncDirectory(directory)
    }

    /// Writes `data` to `url` atomically and durably.
    public static func write(_ data: [UInt8], to url: URL) throws(AtomicFileError) {
        try write(to: url) { (sink) throws(AtomicFileError) in try sink.write(data) }
    }

    /// Makes renames and unlinks in `directory` durable (best effort: some filesystems refuse
    /// to fsync a directory, and the rename has happened either way).
    public static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// Why a file could not be published.
public enum AtomicFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .io(let path, let reason): "\(path): \(reason)"
        }
    }
}

private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, p, n)
    #else
    Darwin.write(fd, p, n)
    #endif
}
