import CVectorKernels
import Foundation

extension HNSWGraph {
    /// True once tombstones make up a tenth of the live records (and at least 16): the next
    /// insert consolidates first, so deletes cost a bounded share of the graph's size and memory.
    var consolidationDue: Bool { tombstones.count >= max(16, liveCount / 10) }

    /// Takes every tombstone out of the graph and frees its slot (the delete consolidation of
    /// FreshDiskANN, Singh et al. 2021, Algorithm 4). Each live node that links to a tombstone
    /// re-selects its neighbours with the heuristic from its live neighbours plus the live nodes
    /// reached through its tombstone neighbours (following chains of tombstones), so every path
    /// that ran through a deleted node is replaced by one around it. Afterwards no list holds a
    /// deleted slot, and a freed slot can be reused without cutting anything off.
    ///
    /// Each node's new list depends only on its own old list, the tombstones' lists (not
    /// written here) and the vectors, so nodes are repaired in parallel without locks.
    func consolidate(threads: Int) {
        guard !tombstones.isEmpty else { return }
        let workers = max(1, min(threads, slotCount / 1024 + 1))
        for level in 0 ..< max(maxLevel, 0) + 1 {
            let chunk = (slotCount + workers - 1) / workers
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let context = acquireContext()
                defer { releaseContext(context) }
                for slot in worker * chunk ..< min(slotCount, (worker + 1) * chunk)
                where deleted[slot] == HNSWGraph.live && Int(levels[slot]) >= level {
                    relinkAroundTombstones(UInt32(slot), level: level, context: context)
                }
            }
        }
        for slot in tombstones { deleted[Int(slot)] = HNSWGraph.free }
        freeSlots.append(contentsOf: tombstones)
        tombstones.removeAll()
    }

    /// Rebuilds `node`'s list on `level` if it links to a tombstone.
    private func relinkAroundTombstones(_ node: UInt32, level: Int, context: SearchContext) {
        let list = links(node, level)
        let capacity = maxLinks(onLevel: level)
        let n = min(Int(list[0]), capacity)
        guard (1 ..< n + 1).contains(where: { deleted[Int(list[$0])] != HNSWGraph.live }) else { return }

        let stamp = context.begin(slots: slotCount)
        let visited = context.visited
        let base = UnsafePointer(vector(node))
        visited[Int(node)] = stamp
        var candidates: [Candidate] = []
        var throughTombstones: [UInt32] = []
        func consider(_ slot: UInt32) {
            guard slot < slotCount, visited[Int(slot)] != stamp else { return }
            visited[Int(slot)] = stamp
            switch deleted[Int(slot)] {
            case HNSWGraph.live: candidates.append(Candidate(distance: distance(base, vector(slot)), slot: slot))
            case HNSWGraph.tombstone: throughTombstones.append(slot)
            default: break   // already free: nothing routes through it
            }
        }
        // The live neighbours stay (many are back-links the heuristic alone would not pick, and
        // they keep the degree up); the places the tombstones held go to the closest nodes
        // reached through them that the heuristic admits beside the kept ones.
        var kept: [UInt32] = []
        for j in 1 ..< n + 1 {
            let slot = list[j]
            guard slot < slotCount else { continue }
            visited[Int(slot)] = stamp
            switch deleted[Int(slot)] {
            case HNSWGraph.live: kept.append(slot)
            case HNSWGraph.tombstone: throughTombstones.append(slot)
            default: break
            }
        }
        // Chains of tombstones are followed, but a bounded number of them, so one node in a
        // heavily deleted region cannot turn into a scan of the graph.
        var expanded = 0
        while expanded < 4 * capacity, let tombstone = throughTombstones.popLast() {
            expanded += 1
            let theirs = links(tombstone, level)
            for j in 1 ..< min(Int(theirs[0]), capacity) + 1 { consider(theirs[j]) }
        }
        candidates.sort { $0.distance < $1.distance }
        // Only the closest few are worth the heuristic's distance checks (3x capacity: measured
        // on nsmc, recall as with all of them at 60% of the time).
        for candidate in candidates.prefix(3 * capacity) where kept.count < capacity {
            let v = vector(candidate.slot)
            if kept.contains(where: { distance(v, vector($0)) < candidate.distance }) { continue }
            kept.append(candidate.slot)
        }
        list[0] = UInt32(kept.count)
        for (i, slot) in kept.enumerated() { list[i + 1] = slot }
    }
}
