import CVectorKernels
import KoHybridCore

extension HNSWGraph {
    /// Links an already claimed slot into the graph (Malkov & Yashunin 2018, Algorithm 1):
    /// greedy descent to the node's top layer, then on each layer down to 0 a best-first search
    /// with efConstruction, the neighbour-selection heuristic, and back-links. Safe to run on
    /// several slots at once from different threads.
    func link(_ slot: UInt32, context: SearchContext) {
        let level = Int(levels[Int(slot)])
        kh_spin_lock(globalLock)
        let entry = entryPoint, top = maxLevel
        if entry == HNSWGraph.noSlot || entry == slot {
            entryPoint = slot
            maxLevel = level
            kh_spin_unlock(globalLock)
            return
        }
        // A new top layer is rare (about log n times); holding the global lock for the whole
        // insert keeps other threads from racing to change the entry point (as hnswlib does).
        let raisesTop = level > top
        if !raisesTop { kh_spin_unlock(globalLock) }

        let query = UnsafePointer(vector(slot))
        var current = Candidate(distance: distance(query, vector(entry)), slot: entry)
        var layer = top
        while layer > level {
            current = greedyClosest(query, from: current, level: layer, locking: true)
            layer -= 1
        }
        for layer in stride(from: min(level, top), through: 0, by: -1) {
            searchForInsert(query, entry: current, level: layer, ef: parameters.efConstruction,
                            exclude: slot, context: context)
            var found = Array(context.results.unordered)
            guard !found.isEmpty else { continue }
            found.sort { $0.distance < $1.distance }
            let chosen = selectNeighbours(found, limit: maxLinks)
            connect(slot, to: chosen, level: layer)
            current = found[0]
        }
        if raisesTop {
            entryPoint = slot
            maxLevel = level
            kh_spin_unlock(globalLock)
        }
    }

    /// The neighbours for a new list: all of `sorted` when they fit, else the heuristic's pick
    /// (``pruneNeighbours(_:limit:keeping:)``), as hnswlib's `getNeighborsByHeuristic2`.
    func selectNeighbours(_ sorted: [Candidate], limit: Int) -> [Candidate] {
        guard sorted.count > limit else { return sorted }
        return pruneNeighbours(sorted, limit: limit)
    }

    /// The neighbour-selection heuristic (Malkov & Yashunin 2018, Algorithm 4), the one rule for
    /// insert and consolidation: walking `sorted` closest first, keep a candidate only if it is
    /// closer to the base than to every neighbour kept so far, until `limit` are kept. This
    /// spreads links across directions, which keeps clustered data navigable. `kept` are
    /// neighbours a list keeps regardless (consolidation keeps a node's live links); they count
    /// towards `limit` and occlude candidates like chosen ones. Returns the candidates chosen.
    func pruneNeighbours(_ sorted: [Candidate], limit: Int, keeping kept: [UInt32] = []) -> [Candidate] {
        var chosen: [Candidate] = []
        chosen.reserveCapacity(max(limit - kept.count, 0))
        guard kept.count < limit else { return chosen }
        for candidate in sorted where !kept.contains(candidate.slot) {
            let v = vector(candidate.slot)
            let occluded = kept.contains { distance(v, vector($0)) < candidate.distance }
                || chosen.contains { distance(v, vector($0.slot)) < candidate.distance }
            guard !occluded else { continue }
            chosen.append(candidate)
            if kept.count + chosen.count == limit { break }
        }
        return chosen
    }

    /// Sets `slot`'s links on `level` and adds the back-link from each neighbour, re-running the
    /// heuristic on a neighbour whose list is full (hnswlib's `mutuallyConnectNewElement`).
    func connect(_ slot: UInt32, to chosen: [Candidate], level: Int) {
        let capacity = maxLinks(onLevel: level)
        let own = nodeLocks.base + Int(slot)
        kh_spin_lock(own)
        let list = links(slot, level)
        // In a parallel build another thread may already have added a back-link to this node on
        // this level (it found the node through a higher layer); keep it rather than overwrite
        // it, or that neighbour's edge is lost. A sequential build always finds the list empty.
        var ownLinks = chosen
        let existing = min(Int(list[0]), capacity)
        if existing > 0 {
            let base = UnsafePointer(vector(slot))
            for j in 1 ..< existing + 1 where list[j] < slotCount && !ownLinks.contains(where: { $0.slot == list[j] }) {
                ownLinks.append(Candidate(distance: distance(base, vector(list[j])), slot: list[j]))
            }
            ownLinks.sort { $0.distance < $1.distance }
            ownLinks = selectNeighbours(ownLinks, limit: capacity)
        }
        list[0] = UInt32(ownLinks.count)
        for (i, c) in ownLinks.enumerated() { list[i + 1] = c.slot }
        kh_spin_unlock(own)

        for neighbour in chosen {
            let lock = nodeLocks.base + Int(neighbour.slot)
            kh_spin_lock(lock)
            defer { kh_spin_unlock(lock) }
            let theirs = links(neighbour.slot, level)
            let n = min(Int(theirs[0]), capacity)
            if (1 ..< n + 1).contains(where: { theirs[$0] == slot }) { continue }
            if n < capacity {
                theirs[n + 1] = slot
                theirs[0] = UInt32(n + 1)
                continue
            }
            let base = UnsafePointer(vector(neighbour.slot))
            var pool = [Candidate(distance: neighbour.distance, slot: slot)]
            pool.reserveCapacity(n + 1)
            for j in 1 ..< n + 1 where theirs[j] < slotCount {
                pool.append(Candidate(distance: distance(base, vector(theirs[j])), slot: theirs[j]))
            }
            pool.sort { $0.distance < $1.distance }
            let kept = selectNeighbours(pool, limit: capacity)
            theirs[0] = UInt32(kept.count)
            for (i, c) in kept.enumerated() { theirs[i + 1] = c.slot }
        }
    }

    /// Links `slots` (already claimed) using up to `threads` threads; node locks keep neighbour
    /// lists consistent.
    func link(_ slots: [UInt32], threads: Int) {
        forEachIndex(slots.count, threads: threads, chunk: 1) { i, context in link(slots[i], context: context) }
    }

    /// Calls `body` for every index below `count` on up to `threads` threads (``Parallel/forEach``),
    /// each thread with its own search context from the pool. Threads take `chunk` indices at a
    /// time, so a slow index never holds up the others.
    func forEachIndex(_ count: Int, threads: Int, chunk: Int, _ body: @Sendable (Int, SearchContext) -> Void) {
        Parallel.forEach(count: count, threads: threads, chunk: chunk,
                         state: { self.acquireContext() }, release: { self.releaseContext($0) }) { i, context in
            body(i, context)
        }
    }
}
