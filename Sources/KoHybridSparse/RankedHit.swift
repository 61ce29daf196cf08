/// A BM25 hit in ranking order, for the top-k heap (`BoundedHeap` keeps the least elements):
/// "less" means "ranks before", a higher score and then a smaller key, so results are
/// deterministic under ties.
struct RankedHit: Comparable {
    let hit: BM25Hit

    @inline(__always) init(_ hit: BM25Hit) { self.hit = hit }

    @inline(__always)
    static func < (a: RankedHit, b: RankedHit) -> Bool {
        a.hit.score > b.hit.score || (a.hit.score == b.hit.score && a.hit.key < b.hit.key)
    }

    static func == (a: RankedHit, b: RankedHit) -> Bool { a.hit == b.hit }
}
