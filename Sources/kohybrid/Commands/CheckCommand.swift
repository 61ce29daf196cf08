import ArgumentParser
import Foundation
import KoHybrid

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify a store: database integrity, index snapshots, records against indexes.",
        discussion: """
        Reads only (it opens the store read-only and works while a writer is open). It checks:
          - the database: SQLite's full integrity check and foreign keys;
          - each collection's index snapshot: the manifest's checksum, that it was built from \
        this store's own history (not a copied, restored or rolled-back store.sqlite at the \
        same seq), and the checksums of every byte of the BM25 and vector files;
          - the indexes against the records: the snapshot is caught up with newer batches in \
        memory, then every record must be in BM25, every vector in the dense index, nothing \
        else, and the HNSW graph must hold its invariants.
        A missing snapshot is fine (the next open builds it); an unusable one is reported \
        (searches rebuild it from the records, so no data is lost). Exits with status 1 when \
        anything is wrong; --json prints {store, seq, integrity, ok, problems, collections}.

        Examples:
          kohybrid check --store ./store
          kohybrid check --store ./store --json | jq .problems
        """
    )

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: JSONOutputOptions

    func run() async throws {
        let store = try storeOptions.openReadOnly()
        let report = try await store.check()
        try await store.close()
        if output.json {
            Terminal.printJSON(Self.json(report))
        } else {
            printSummary(report)
        }
        if !report.isClean { throw ExitCode.failure }
    }

    private func printSummary(_ report: StoreCheckReport) {
        print("\(report.directory): seq \(report.seq), database integrity \(report.integrity)")
        for c in report.collections {
            let snapshot: String
            switch c.snapshot {
            case .none: snapshot = "no snapshot"
            case .usable(let seq, let current): snapshot = "snapshot seq \(seq) \(current ? "(current)" : "(behind, caught up)") ok"
            case .unusable(let reason): snapshot = "snapshot UNUSABLE: \(reason)"
            }
            let indexed = c.indexedDocuments.map { ", indexes hold \($0) documents and \(c.indexedVectors ?? 0) vectors" } ?? ""
            print("  \(c.name): \(c.records) records (\(c.vectors) with vectors), \(snapshot)\(indexed)")
        }
        if report.isClean {
            print("no problems found")
        } else {
            for problem in report.problems { Terminal.error(problem.description) }
        }
    }

    static func json(_ report: StoreCheckReport) -> JSONValue {
        let collections: [JSONValue] = report.collections.map { c in
            var snapshot: [String: JSONValue]
            switch c.snapshot {
            case .none: snapshot = ["status": .string("none")]
            case .usable(let seq, let current): snapshot = ["status": .string(current ? "current" : "behind"), "seq": .int(seq)]
            case .unusable(let reason): snapshot = ["status": .string("unusable"), "reason": .string(reason)]
            }
            return .object(["name": .string(c.name), "records": .int(Int64(c.records)), "vectors": .int(Int64(c.vectors)),
                            "snapshot": .object(snapshot),
                            "indexed_documents": c.indexedDocuments.map { .int(Int64($0)) } ?? .null,
                            "indexed_vectors": c.indexedVectors.map { .int(Int64($0)) } ?? .null])
        }
        let problems: [JSONValue] = report.problems.map { .object(["scope": .string($0.scope), "message": .string($0.message)]) }
        return .object(["store": .string(report.directory), "seq": .int(report.seq), "integrity": .string(report.integrity.description),
                        "ok": .bool(report.isClean), "problems": .array(problems), "collections": .array(collections)])
    }
}
