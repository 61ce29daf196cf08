import Synchronization

extension Store {
    /// Searches one collection. The indexes are brought up to date with the database first, so
    /// a search sees every batch committed before it started.
    ///
    /// ```swift
    /// let hits = try await store.search(SearchQuery(text: "오마카세 런치", vector: v, k: 5), in: "omakase.sources")
    /// for hit in hits { print(hit.id, hit.score, hit.dense?.rank ?? 0, hit.sparse?.rank ?? 0) }
    /// ```
    ///
    /// A query with text and no vector, in a collection that records an embedder, has its text
    /// embedded (role `.query`), so it runs both retrievers.
    ///
    /// Searches run in parallel: the store's turn covers bringing the indexes up to date and
    /// reading the hits' records; ranking (`CollectionSearcher`) runs on the caller's task,
    /// beside any number of other searches.
    public nonisolated func search(_ query: SearchQuery, in collection: String) async throws(StoreError) -> [SearchHit] {
        // Each turn on the store's own thread is a thread switch. A search alone in the store
        // takes one turn for everything; searches that overlap take two, ranking between them
        // off the store's thread so that they run in parallel.
        let overlapping = searchesInFlight.wrappingAdd(1, ordering: .relaxed).newValue > 1
        defer { searchesInFlight.wrappingSubtract(1, ordering: .relaxed) }
        if !overlapping { return try await searchInOneTurn(query, in: collection) }
        let (query, prepared) = try await prepare(query, in: collection)
        let ranked = prepared.rank(query)
        guard !ranked.isEmpty else { return [] }
        return try await hits(for: ranked, collection: collection)
    }

    /// The whole search in one turn: for a search with no other in flight.
    private func searchInOneTurn(_ query: SearchQuery, in collection: String) async throws(StoreError) -> [SearchHit] {
        let (query, prepared) = try await prepare(query, in: collection)
        return try hits(for: prepared.rank(query), collection: collection)
    }

    /// The first turn: the query's vector (embedded when it needs one), then the collection's
    /// searcher and the keys its filters admit.
    private func prepare(_ query: SearchQuery, in collection: String) async throws(StoreError) -> (SearchQuery, PreparedSearch) {
        let query = try await withQueryVector(query, in: collection)
        return (query, try searcher(for: query, in: collection))
    }

    /// The collection's searcher, up to date, with the query's plan and the keys its filters
    /// admit. Plans first, so a bad query fails before any index work.
    func searcher(for query: SearchQuery, in collection: String) throws(StoreError) -> PreparedSearch {
        let row = try collectionRow(collection)
        let plan = try CollectionSearcher.plan(query, configuration: row.configuration)
        let indexes = try indexes(for: row)
        let admitted = (query.filter != nil || query.documentFilter != nil)
            ? try indexManager.admittedKeys(query.filter, query.documentFilter, in: indexes) : nil
        schedulePublishing()
        return PreparedSearch(searcher: indexes.searcher, plan: plan, admitted: admitted)
    }

    /// Publishes due snapshots in a turn of its own after this one, so the search that caught
    /// the indexes up does not wait for snapshot files to be written.
    func schedulePublishing() {
        guard !indexManager.duePublishes.isEmpty, !publishScheduled else { return }
        publishScheduled = true
        Task {
            await self.publishDueSnapshots()
        }
    }

    private func publishDueSnapshots() {
        publishScheduled = false
        guard records.isOpen else { return }
        indexManager.publishDue()
    }

    /// Reads the records behind ranked keys; a record deleted since the indexes caught up is skipped.
    func hits(for ranked: [RankedKey], collection: String) throws(StoreError) -> [SearchHit] {
        guard !ranked.isEmpty else { return [] }
        let records = try records.records(keys: ranked.map(\.key), collection: collection)
        return ranked.compactMap { hit in
            records[hit.key].map { record in
                SearchHit(id: record.id, document: record.document, metadata: record.metadata, score: hit.score,
                          dense: hit.dense, sparse: hit.sparse, weights: hit.weights)
            }
        }
    }
}

/// A checked query's plan on an up-to-date searcher, with the keys its filters admit (nil: all).
struct PreparedSearch: Sendable {
    let searcher: CollectionSearcher
    let plan: CollectionSearcher.Plan
    let admitted: Set<UInt64>?

    func rank(_ query: SearchQuery) -> [RankedKey] { searcher.search(query, plan: plan, admitted: admitted) }
}
