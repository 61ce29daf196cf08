extension ChromaCollection {
    /// What must hold for any collection the reader returns (tests check it on every fixture;
    /// internal, reached through `@testable import`).
    /// Returns the violated invariants (empty when all hold).
    func invariantViolations() -> [String] {
        var problems: [String] = []
        for (previous, next) in zip(records, records.dropFirst())
        where !previous.id.utf8.lexicographicallyPrecedes(next.id.utf8) {
            problems.append("records not sorted by unique id at \"\(next.id)\"")
        }
        for record in records {
            guard let embedding = record.embedding else { problems.append("\"\(record.id)\" has no embedding"); continue }
            if let dimension, embedding.count != dimension {
                problems.append("\"\(record.id)\" has \(embedding.count) values, dimension is \(dimension)")
            }
        }
        if !records.isEmpty, dimension == nil { problems.append("records but no dimension") }
        if metadata.keys.contains(where: { $0.hasPrefix("hnsw:") }) { problems.append("hnsw:* settings left in user metadata") }
        let recordIDs = Set(records.map(\.id))
        for skipped in skipped where recordIDs.contains(skipped.id) && !skipped.reason.hasPrefix("duplicate") {
            problems.append("\"\(skipped.id)\" is both read and skipped")
        }
        return problems
    }
}
