/// The SQLite schema of a store (format 1) and how the connection is configured.
///
/// ## Journal mode and locking
/// Stores live on network filesystems shared by pods, where SQLite's WAL mode is unsafe (WAL
/// needs shared memory between every process that opens the database, which NFS cannot provide).
/// So a store uses the classic **rollback journal** (`journal_mode=DELETE`) with
/// `synchronous=FULL`: every write batch is one transaction, and a crash at any point leaves a
/// hot journal that the next connection rolls back, so a batch is wholly there or wholly absent.
///
/// Locking has two layers:
/// - SQLite's own file locks (POSIX `fcntl`, which NFS forwards to the server) make readers see
///   only committed transactions: a reader holds a shared lock while it reads, a commit waits
///   for it (up to `busy_timeout`).
/// - Readers never wait for a writer's batch, only for its commit: the writer's connection
///   runs with `cache_spill=OFF`, so it holds only SQLite's RESERVED lock (which readers
///   share the file with) while it writes a batch, and takes EXCLUSIVE just for the moments
///   of COMMIT. A writer that stalls mid-batch (`SIGSTOP`, a hung pod) leaves readers
///   answering from the last committed state. The price: a batch's changed pages stay in the
///   writer's memory until it commits (about the batch's size in records).
/// - A store-level **writer lock** (`writer.lock`, see `WriterLock`) admits one writer for its
///   whole lifetime, so a second writer fails at open with `StoreError.writerLocked` instead of
///   interleaving batches or racing to publish index snapshots.
enum StoreSchema {
    static let formatVersion = 1
    static let databaseFile = "store.sqlite"
    static let lockFile = "writer.lock"
    static let indexDirectory = "indexes"

    /// Applied on every connection.
    static let pragmas = """
        PRAGMA journal_mode=DELETE;
        PRAGMA synchronous=FULL;
        PRAGMA foreign_keys=ON;
        """

    /// `commits` gives every seq a random token, so a snapshot can name the exact state it was
    /// built from (`StateBinding`: generation, seq, token): a copied or rolled-back database that
    /// reached the same seq by other batches has other tokens. A store made before the table
    /// existed gets a token for its current seq when a writer first opens it.
    ///
    /// `generation` is a random number that `restore` changes: records (and their keys) from
    /// another generation are different records, so readers drop their indexes when it moves.
    /// `seq` is a store-wide counter: each write batch takes the next value and stamps every
    /// row it touches, so "what changed after snapshot seq S" is `seq > S`. Keys come from
    /// AUTOINCREMENT and are never reused, so an index entry can never point at a different
    /// record than the one it was built from.
    static let create = """
        CREATE TABLE IF NOT EXISTS store_info(
            name TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS collections(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE,
            configuration TEXT NOT NULL,
            metadata TEXT NOT NULL,
            changed_seq INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS records(
            key INTEGER PRIMARY KEY AUTOINCREMENT,
            collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            document TEXT,
            metadata TEXT NOT NULL,
            vector BLOB,
            seq INTEGER NOT NULL,
            UNIQUE(collection_id, id)
        );
        CREATE INDEX IF NOT EXISTS records_by_seq ON records(collection_id, seq);
        CREATE TABLE IF NOT EXISTS tombstones(
            collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
            key INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY(collection_id, key)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS tombstones_by_seq ON tombstones(collection_id, seq);
        INSERT OR IGNORE INTO store_info(name, value) VALUES ('format', \(formatVersion)), ('seq', 0), ('generation', abs(random()));
        CREATE TABLE IF NOT EXISTS commits(
            seq INTEGER PRIMARY KEY,
            token INTEGER NOT NULL
        );
        INSERT OR IGNORE INTO commits(seq, token) SELECT value, abs(random()) FROM store_info WHERE name = 'seq';
        """
}
