import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The store's writer lock: an exclusive `fcntl` (POSIX record) lock on `writer.lock`, held for
/// one write batch (writers taking turns) or for a writer's lifetime (`.exclusive`), and
/// released by the kernel if the process dies.
///
/// `fcntl` locks are the kind NFS forwards to the server's lock manager (NLM / NFSv4 locks),
/// unlike `flock`, which older NFS clients keep local. They are owned per process, so a second
/// writer inside the same process is caught by an in-process registry of held paths.
final class WriterLock: @unchecked Sendable {
    let path: String
    private var descriptor: Int32

    private static let held = LockedSet()

    /// Paths whose lock this process holds.
    private final class LockedSet: @unchecked Sendable {
        private var paths: Set<String> = []
        private let lock = NSLock()
        func withLock<T>(_ body: (inout Set<String>) -> T) -> T {
            lock.lock(); defer { lock.unlock() }
            return body(&paths)
        }
    }

    /// Takes the lock, retrying until `timeout` has passed (zero: one try); throws
    /// `writerLocked` if another writer still holds it then.
    convenience init(path: String, waiting timeout: Duration) throws(StoreError) {
        let deadline = ContinuousClock.now + timeout
        var pause = 2_000  // microseconds, doubling to 100 ms: quick hand-overs, little polling
        while true {
            do { try self.init(path: path); return } catch .writerLocked(let held) {
                guard ContinuousClock.now < deadline else { throw .writerLocked(path: held) }
                usleep(UInt32(pause))
                pause = min(pause * 2, 100_000)
            }
        }
    }

    /// Takes the lock without waiting; throws `writerLocked` if anyone holds it.
    init(path: String) throws(StoreError) {
        let canonical = URL(fileURLWithPath: path).standardizedFileURL.path
        self.path = canonical
        let claimed = Self.held.withLock { $0.insert(canonical).inserted }
        guard claimed else { throw .writerLocked(path: canonical) }
        let fd = open(canonical, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            _ = Self.held.withLock { $0.remove(canonical) }
            throw .io(path: canonical, message: String(cString: strerror(errno)))
        }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = 0
        lock.l_len = 0
        guard fcntl(fd, F_SETLK, &lock) == 0 else {
            let code = errno
            close(fd)
            _ = Self.held.withLock { $0.remove(canonical) }
            if code == EACCES || code == EAGAIN { throw .writerLocked(path: canonical) }
            throw .io(path: canonical, message: "cannot lock: \(String(cString: strerror(code)))")
        }
        descriptor = fd
    }

    /// Releases the lock (closing the descriptor drops the fcntl lock).
    func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        _ = Self.held.withLock { $0.remove(path) }
    }

    deinit { release() }
}
