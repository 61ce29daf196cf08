import CVectorKernels
import KoHybridCore

extension HNSWGraph {
    /// Bytes of each fresh neighbour's vector prefetched when a node is expanded, and how many
    /// neighbours ahead of the one being scored the rest of a vector is requested. Measured on
    /// nsmc (88k x 384, ef 128): head 512 + ahead 4 gives 10-13% more queries/s than prefetching
    /// the head alone; whole vectors up front, or further ahead, overload the memory queues.
    static let prefetchHeadBytes: Int64 = 512
    static let prefetchAhead = 4

    /// Greedy descent through one upper layer: moves to the closest neighbour until none is
    /// closer (Malkov & Yashunin 2018, Algorithm 2 with ef = 1). `locking` guards neighbour
    /// lists while other threads insert.
    func greedyClosest(_ query: UnsafePointer<Float>, from start: Candidate, level: Int, locking: Bool) -> Candidate {
        var best = start
        var changed = true
        let slots = UInt32(slotCount)
        while changed {
            changed = false
            let node = best.slot
            if locking { kh_spin_lock(nodeLocks.base + Int(node)) }
            let list = links(node, level)
            let n = min(Int(list[0]), maxLinks(onLevel: level))
            for j in 1 ..< n + 1 {
                let neighbour = list[j]
                guard neighbour < slots else { continue }   // damaged file: skip, never crash
                let d = distance(query, vector(neighbour))
                if d < best.distance {
                    best = Candidate(distance: d, slot: neighbour)
                    changed = true
                }
            }
            if locking { kh_spin_unlock(nodeLocks.base + Int(node)) }
        }
        return best
    }

    /// The query-time best-first search on layer 0 (Algorithm 2), hnswlib's
    /// `searchBaseLayerST`: leaves the `ef` closest admitted live nodes in `context.results`
    /// (a max-heap). Deleted or filtered-out nodes are still walked through, so they keep the
    /// graph connected, but never enter the results; while fewer than `ef` admitted nodes are
    /// known the search keeps expanding.
    func searchLayer0(_ query: UnsafePointer<Float>, entry: UInt32, ef: Int, filter: VectorFilter?, context: SearchContext) {
        let stamp = context.begin(slots: slotCount)
        let visited = context.visited
        var candidates = context.candidates
        var results = context.results
        defer {
            context.candidates = candidates
            context.results = results
        }
        // Locals, so the loop reads no class properties.
        let records = level0.base, recordWords = recordWords, vectorOffset = vectorOffset
        let length = Int64(dimension)
        // The kernel is fetched once: no metric switch or dispatch wrapper per distance.
        let kernel = metric.kernel, isDotProduct = metric.isDotProduct
        let deleted = deleted.base, keys = keys.base
        let pending = context.linkCopy
        let slots = UInt32(slotCount), maxLinks0 = maxLinks0
        let prefetchBytes = min(length * 4, HNSWGraph.prefetchHeadBytes)
        @inline(__always) func vectorAt(_ slot: UInt32) -> UnsafePointer<Float> {
            let offset: Int = Int(slot) &* recordWords &+ vectorOffset
            return UnsafeRawPointer(records + offset).assumingMemoryBound(to: Float.self)
        }
        @inline(__always) func distanceTo(_ slot: UInt32) -> Float {
            let value = kernel(query, vectorAt(slot), length)
            return isDotProduct ? 1 - value : value
        }
        @inline(__always) func admitted(_ slot: UInt32) -> Bool {
            guard deleted[Int(slot)] == 0 else { return false }
            guard let filter else { return true }
            return filter.isIncluded(keys[Int(slot)])
        }

        let first = Candidate(distance: distanceTo(entry), slot: entry)
        visited[Int(entry)] = stamp
        var bound = Float.infinity
        if admitted(entry) {
            results.push(first, max: true)
            bound = first.distance
        }
        candidates.push(first, max: false)

        while !candidates.isEmpty {
            let current = candidates.top
            if current.distance > bound && results.count >= ef { break }
            candidates.pop(max: false)
            let listOffset: Int = Int(current.slot) &* recordWords
            let list = records + listOffset
            let n = min(Int(list[0]), maxLinks0)
            // Two passes: first gather the unvisited neighbours and prefetch the head of each
            // vector, so their cache misses overlap; then score them, requesting the rest of the
            // vector `prefetchAhead` neighbours ahead so it arrives before the kernel needs it.
            // The gather is branch-free (whether a neighbour was visited is a coin flip the CPU
            // cannot predict): every neighbour is written to `pending` and stamped, and `fresh`
            // only advances past the new ones.
            var fresh = 0
            for j in 1 ..< n + 1 {
                let neighbour = list[j]
                // The bounds check keeps a damaged (but mapped, unverified) file from sending
                // the walk outside the buffers; it costs one predictable compare.
                if neighbour >= slots { continue }
                let isNew = visited[Int(neighbour)] != stamp
                visited[Int(neighbour)] = stamp
                pending[fresh] = neighbour
                fresh &+= isNew ? 1 : 0
            }
            for j in 0 ..< fresh { kh_prefetch(vectorAt(pending[j]), prefetchBytes) }
            for j in 0 ..< fresh {
                if j &+ HNSWGraph.prefetchAhead < fresh {
                    let ahead = UnsafeRawPointer(vectorAt(pending[j &+ HNSWGraph.prefetchAhead])) + Int(prefetchBytes)
                    kh_prefetch(ahead, length &* 4 &- prefetchBytes)
                }
                let neighbour = pending[j]
                let d = distanceTo(neighbour)
                guard results.count < ef || d < bound else { continue }
                candidates.push(Candidate(distance: d, slot: neighbour), max: false)
                if admitted(neighbour) {
                    results.push(Candidate(distance: d, slot: neighbour), max: true)
                    if results.count > ef { results.pop(max: true) }
                    bound = results.top.distance
                }
            }
        }
    }

    /// The construction-time search on any layer (hnswlib's `searchBaseLayer`): the same
    /// best-first walk, with each neighbour list copied under its node's lock, skipping
    /// `exclude` (the node being inserted, which stale links may lead back to).
    func searchForInsert(_ query: UnsafePointer<Float>, entry: Candidate, level: Int, ef: Int,
                         exclude: UInt32, context: SearchContext) {
        let stamp = context.begin(slots: slotCount)
        let visited = context.visited
        let copy = context.linkCopy
        var candidates = context.candidates
        var results = context.results
        defer {
            context.candidates = candidates
            context.results = results
        }
        let deleted = deleted.base
        let slots = UInt32(slotCount)
        let vectorBytes = Int64(dimension * 4), prefetchBytes = min(vectorBytes, HNSWGraph.prefetchHeadBytes)
        visited[Int(entry.slot)] = stamp
        visited[Int(exclude)] = stamp
        var bound = Float.infinity
        if deleted[Int(entry.slot)] == 0 && entry.slot != exclude {
            results.push(entry, max: true)
            bound = entry.distance
        }
        candidates.push(entry, max: false)
        while !candidates.isEmpty {
            let current = candidates.top
            if current.distance > bound && results.count >= ef { break }
            candidates.pop(max: false)
            let lock = nodeLocks.base + Int(current.slot)
            kh_spin_lock(lock)
            let list = links(current.slot, level)
            let n = min(Int(list[0]), maxLinks(onLevel: level))
            copy.update(from: list + 1, count: n)
            kh_spin_unlock(lock)
            // The same gather-prefetch-score pipeline as `searchLayer0` (fresh ones compacted
            // to the front of `copy`).
            var fresh = 0
            for j in 0 ..< n {
                let neighbour = copy[j]
                if neighbour >= slots || visited[Int(neighbour)] == stamp { continue }
                visited[Int(neighbour)] = stamp
                copy[fresh] = neighbour
                fresh += 1
                kh_prefetch(vector(neighbour), prefetchBytes)
            }
            for j in 0 ..< fresh {
                if j + HNSWGraph.prefetchAhead < fresh {
                    kh_prefetch(UnsafeRawPointer(vector(copy[j + HNSWGraph.prefetchAhead])) + Int(prefetchBytes), vectorBytes - prefetchBytes)
                }
                let neighbour = copy[j]
                let d = distance(query, vector(neighbour))
                guard results.count < ef || d < bound else { continue }
                candidates.push(Candidate(distance: d, slot: neighbour), max: false)
                if deleted[Int(neighbour)] == 0 {
                    results.push(Candidate(distance: d, slot: neighbour), max: true)
                    if results.count > ef { results.pop(max: true) }
                    bound = results.top.distance
                }
            }
        }
    }

    /// Approximate k nearest live (and admitted) nodes, closest first.
    func search(_ query: UnsafePointer<Float>, k: Int, ef: Int, filter: VectorFilter?) -> [Candidate] {
        guard liveCount > 0, entryPoint != HNSWGraph.noSlot, k > 0 else { return [] }
        var current = Candidate(distance: distance(query, vector(entryPoint)), slot: entryPoint)
        var level = maxLevel
        while level > 0 {
            current = greedyClosest(query, from: current, level: level, locking: false)
            level -= 1
        }
        let context = acquireContext()
        defer { releaseContext(context) }
        searchLayer0(query, entry: current.slot, ef: max(ef, k), filter: filter, context: context)
        var results = context.results
        while results.count > k { results.pop(max: true) }
        var out = [Candidate](repeating: Candidate(distance: 0, slot: 0), count: results.count)
        for i in stride(from: out.count - 1, through: 0, by: -1) { out[i] = results.pop(max: true) }
        context.results = results
        return out
    }

    /// Exact k nearest live nodes admitted by `filter`, by scanning every slot (or only the
    /// filter's keys when it lists them).
    func exactSearch(_ query: UnsafePointer<Float>, k: Int, filter: VectorFilter?) -> [VectorHit] {
        var top = BoundedHeap<VectorHit>(capacity: k)
        func consider(_ slot: UInt32) {
            let hit = VectorHit(key: keys[Int(slot)], distance: distance(query, vector(slot)))
            top.insert(hit)
        }
        if let keySet = filter?.keys, keySet.count < liveCount {
            for key in keySet { if let slot = slotOfKey[key] { consider(slot) } }
        } else {
            for slot in 0 ..< UInt32(slotCount) where deleted[Int(slot)] == 0 {
                if let filter, !filter.isIncluded(keys[Int(slot)]) { continue }
                consider(slot)
            }
        }
        return top.sorted()
    }

    /// About how many live records `filter` admits: exact for key sets, otherwise from a
    /// sample of up to 1,024 evenly spaced slots.
    func estimateAdmitted(by filter: VectorFilter) -> Int {
        if let keySet = filter.keys {
            return keySet.count <= liveCount ? keySet.reduce(0) { $0 + (slotOfKey[$1] == nil ? 0 : 1) } : liveCount
        }
        let step = max(1, slotCount / 1024)
        var seen = 0, admitted = 0
        for slot in stride(from: 0, to: slotCount, by: step) where deleted[slot] == 0 {
            seen += 1
            if filter.isIncluded(keys[slot]) { admitted += 1 }
        }
        guard seen > 0 else { return 0 }
        return (admitted * liveCount + seen - 1) / seen
    }
}
