import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lets the publishers of one collection's snapshots take turns: the writer, and readers that
/// rebuilt or caught up an index, in this process or others. An exclusive `fcntl` lock on
/// `indexes/<id>/publish.lock` (the kind NFS forwards to its lock manager, released by the
/// kernel when a process dies) plus an in-process mutex per path, because `fcntl` locks belong
/// to a process: two `Store`s in one process would otherwise both "hold" it, and closing either
/// descriptor would drop the other's lock.
///
/// It guards only publishing; searches never take it.
final class SnapshotPublishLock {
    private var descriptor: Int32
    private let mutex: NSLock

    private static let mutexes = MutexTable()

    private final class MutexTable: @unchecked Sendable {
        private var table: [String: NSLock] = [:]
        private let lock = NSLock()
        func mutex(for path: String) -> NSLock {
            lock.lock(); defer { lock.unlock() }
            if let existing = table[path] { return existing }
            let created = NSLock()
            table[path] = created
            return created
        }
    }

    /// Takes the lock for `directory` (created when missing). With `wait` false it gives up at
    /// once when another publisher holds it; either way nil means it could not be taken (busy,
    /// or the folder is not writable: a reader on a read-only mount simply does not publish).
    static func acquire(directory: URL, wait: Bool) -> SnapshotPublishLock? {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(IndexSnapshot.lockName).standardizedFileURL.path
        let mutex = mutexes.mutex(for: path)
        if wait { mutex.lock() } else if !mutex.try() { return nil }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { mutex.unlock(); return nil }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        var rc: Int32
        repeat { rc = fcntl(fd, wait ? F_SETLKW : F_SETLK, &lock) } while rc != 0 && errno == EINTR
        guard rc == 0 else {
            close(fd)
            mutex.unlock()
            return nil
        }
        return SnapshotPublishLock(descriptor: fd, mutex: mutex)
    }

    private init(descriptor: Int32, mutex: NSLock) {
        self.descriptor = descriptor
        self.mutex = mutex
    }

    /// Releases the lock (closing the descriptor drops the fcntl lock). Call it explicitly:
    /// Swift may end an object's life before the end of its scope.
    func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        mutex.unlock()
    }

    deinit { release() }
}
