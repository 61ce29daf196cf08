extension StoreStats {
    /// The stats as one JSON object (`kohybrid stats --json`, `GET /kohybrid/v1/stats`).
    public var json: JSONValue {
        let collections: [JSONValue] = self.collections.map { c in
            .object(["name": .string(c.name), "count": .int(Int64(c.count)), "dimension": .int(Int64(c.configuration.dimension)),
                     "metric": .string(c.configuration.metric.rawValue), "analyzer": .string(c.configuration.analyzer.rawValue),
                     "changed_seq": .int(c.changedSeq), "snapshot_seq": c.snapshotSeq.map { .int($0) } ?? .null,
                     "snapshot_bytes": .int(Int64(c.snapshotBytes)), "snapshot_current": .bool(c.snapshotIsCurrent),
                     "metadata": c.configuration.metadata.json])
        }
        return .object(["store": .string(directory), "seq": .int(seq),
                        "database_bytes": .int(Int64(databaseBytes)), "collections": .array(collections)])
    }
}
