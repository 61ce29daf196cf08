import KoHybridSQLite
import CSQLite
import Foundation
import KoHybridFiles
#if canImport(Glibc)
import Glibc
#endif

extension Store {
    /// Copies the whole store into one file (a SQLite database) with SQLite's online backup API,
    /// then runs SQLite's full integrity check on the copy: a damaged store fails with an error
    /// and leaves no backup file.
    /// The copy is one consistent state: it runs under a shared lock, so other readers keep
    /// working and a writer's next commit waits until the copy is done. Index snapshots are not
    /// copied; they are rebuilt from the records when the restored store is first opened.
    ///
    /// ```swift
    /// try await store.backup(to: URL(fileURLWithPath: "/backups/store-2026-11-22.sqlite"))
    /// ```
    public func backup(to file: URL) throws(StoreError) {
        try requireOpen()
        let destination = file.standardizedFileURL.path
        Self.removeAbandonedPartials(besides: destination)
        // Named by host and pid, so a killed backup's leftover is known to be abandoned.
        let temporary = destination + Self.partialSuffix + Self.partialOwner
        Self.removeDatabaseFiles(temporary)
        defer { Self.removeDatabaseFiles(temporary) }
        try Self.copyDatabase(from: database, to: temporary)
        // The copy is page for page: a damaged store makes a damaged backup that `restore`
        // would refuse later. Check it now, and write nothing rather than a bad backup.
        let verdict: IntegrityVerdict
        do {
            let copy = try StoreDatabase(path: temporary, readOnly: true)
            defer { copy.close() }
            verdict = try Self.integrityVerdict(copy)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        guard verdict.isOK else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .database(path: databasePath, message: "the store fails SQLite's integrity check (\(verdict)), so no backup was written; run `kohybrid check` on it")
        }
        guard rename(temporary, destination) == 0 else {
            throw .io(path: destination, message: "cannot move the backup into place: \(String(cString: strerror(errno)))")
        }
    }

    static let partialSuffix = ".partial-"
    static var partialOwner: String { "\(hostName)-\(getpid())" }

    /// This machine's name (a pod's name on Kubernetes), from gethostname: no DNS lookup.
    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Removes `*.partial-HOST-PID` files (and their journals) in the destination's folder left by
    /// killed backups: those of this host whose process is gone. Another host's are left alone,
    /// since on a shared volume their process cannot be checked from here.
    static func removeAbandonedPartials(besides destination: String) {
        let folder = (destination as NSString).deletingLastPathComponent
        let host = hostName
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            guard let range = name.range(of: partialSuffix, options: .backwards) else { continue }
            let owner = name[range.upperBound...].replacingOccurrences(of: "-journal", with: "")
            guard owner.hasPrefix(host + "-"), let pid = Int32(owner.dropFirst(host.count + 1)) else { continue }
            if pid != getpid(), kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
            }
        }
    }

    /// Restores a backup made by `backup(to:)` into `directory`, which must hold no store unless
    /// `replacing` is true. Takes the writer lock for the duration, so it fails with
    /// `writerLocked` while a writer is open. Readers of a replaced store see the old or the new
    /// records, never a mix (the copy is one SQLite transaction), and drop their indexes when
    /// they notice the new generation.
    ///
    /// `willPublish` is called once the staged copy is complete, just before it becomes the
    /// store (for a progress display, and for tests that kill a restore at that moment).
    public static func restore(from backup: URL, to directory: URL, replacing: Bool = false,
                               willPublish: (@Sendable () -> Void)? = nil) async throws(StoreError) {
        let backupPath = backup.standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: backupPath) else { throw .io(path: backupPath, message: "no such backup file") }
        let source = try StoreDatabase(path: backupPath, readOnly: true)
        defer { source.close() }
        let format = try source.scalarInt("SELECT value FROM store_info WHERE name = 'format'") ?? 0
        guard format == StoreSchema.formatVersion else {
            throw .incompatibleFormat(path: backupPath, found: Int(format), expected: StoreSchema.formatVersion)
        }
        let check = try source.prepare("PRAGMA quick_check")
        guard try check.step(), check.text(0) == "ok" else {
            throw .database(path: backupPath, message: "the backup fails SQLite's integrity check: \(check.text(0) ?? "?")")
        }
        check.reset()

        let target = directory.standardizedFileURL
        do { try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true) } catch {
            throw .io(path: target.path, message: "cannot create the store directory: \(FileSystemErrorText.describe(error))")
        }
        let lock = try WriterLock(path: target.appendingPathComponent(StoreSchema.lockFile).path)
        defer { lock.release() }
        let databasePath = target.appendingPathComponent(StoreSchema.databaseFile).path
        if FileManager.default.fileExists(atPath: databasePath), !replacing { throw .storeExists(path: target.path) }
        // Snapshots describe the old records; remove them before the records change.
        try? FileManager.default.removeItem(at: target.appendingPathComponent(StoreSchema.indexDirectory))
        // Stage a copy with a new generation. We hold the writer lock, so no other restore is
        // running: staging files found here are a killed run's, and are removed with their
        // journal (a stale hot journal would otherwise be rolled into the new staging file).
        let staging = databasePath + ".restoring"
        removeDatabaseFiles(staging)
        defer { removeDatabaseFiles(staging) }
        try copyDatabase(from: source, to: staging)
        let staged = try StoreDatabase(path: staging, readOnly: false)
        defer { staged.close() }
        try staged.execute(StoreSchema.pragmas)
        try staged.execute("INSERT OR REPLACE INTO store_info(name, value) VALUES ('generation', abs(random()))")
        willPublish?()
        if FileManager.default.fileExists(atPath: databasePath) {
            // Copied over the store in one transaction, so open readers see the old store or the
            // new one, and know which (see StoreSchema); a kill leaves a hot journal that rolls
            // the old store back.
            try copyDatabase(from: staged, to: databasePath)
        } else {
            // A new store appears whole or not at all: the complete (synced) copy is renamed into
            // place. A journal without its database belongs to nothing and must not be applied.
            staged.close()
            removeDatabaseFiles(databasePath)
            guard rename(staging, databasePath) == 0 else {
                throw .io(path: databasePath, message: "cannot move the restored store into place: \(String(cString: strerror(errno)))")
            }
            syncDirectory(target.path)
        }
    }

    /// Makes a rename in `path` durable.
    private static func syncDirectory(_ path: String) {
        #if canImport(Glibc)
        let fd = Glibc.open(path, O_RDONLY)
        if fd >= 0 { _ = fsync(fd); _ = Glibc.close(fd) }
        #endif
    }

    /// Removes a database file and the files SQLite keeps beside it.
    static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Copies every page of `source` into the database at `path` in one step (one transaction
    /// on the destination, one read lock on the source).
    static func copyDatabase(from source: StoreDatabase, to path: String) throws(StoreError) {
        let destination = try StoreDatabase(path: path, readOnly: false)
        defer { destination.close() }
        destination.setBusyTimeout(milliseconds: 15_000)
        try destination.execute(StoreSchema.pragmas)
        guard let backup = sqlite3_backup_init(destination.handle, "main", source.handle, "main") else {
            throw destination.error("backup")
        }
        let rc = sqlite3_backup_step(backup, -1)
        sqlite3_backup_finish(backup)
        guard rc == SQLITE_DONE else {
            throw .database(path: path, message: "backup stopped: \(String(cString: sqlite3_errstr(rc)))")
        }
    }
}

extension Store {
    /// SQLite's `PRAGMA integrity_check` of the store's database: `.ok`, or the first problems.
    public func integrityCheck() throws(StoreError) -> IntegrityVerdict {
        try requireOpen()
        return try Self.integrityVerdict(database)
    }

    /// `.ok`, or the first problems `PRAGMA integrity_check` reports (damage bad enough to stop
    /// the check itself is reported the same way, not thrown).
    static func integrityVerdict(_ db: StoreDatabase) throws(StoreError) -> IntegrityVerdict {
        let stmt = try db.prepare("PRAGMA integrity_check(10)")
        defer { stmt.reset() }
        var messages: [String] = []
        do {
            while try stmt.step() { messages.append(stmt.text(0) ?? "?") }
        } catch {
            messages.append(db.errorMessage)
        }
        // SQLite puts several findings (and a "*** in database main ***" heading) in one row.
        let lines = messages.flatMap { $0.split(whereSeparator: \.isNewline).map(String.init) }.filter { !$0.hasPrefix("***") }
        if lines == ["ok"] { return .ok }
        return .damaged(lines.isEmpty ? ["the integrity check gave no result"] : lines)
    }
}
