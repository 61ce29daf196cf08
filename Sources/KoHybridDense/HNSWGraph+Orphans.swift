extension HNSWGraph {
    /// Gives every live node that no live node links to on layer 0 an in-link: without one, no
    /// walk can ever return it. Plain HNSW leaves a few such nodes: the heuristic can prune a node
    /// from all its neighbours' lists (79 of nsmc-reviews' 88,088 after a build, about 0.3% of
    /// the live nodes after consolidating 30% deletes). Each orphan joins its closest live
    /// out-neighbour's list if it has room, else replaces that neighbour's farthest link whose
    /// target keeps another in-link. One pass over layer 0: a few milliseconds for 88k records.
    @discardableResult
    func linkOrphans() -> Int {
        var inDegree = liveInDegrees()
        var linked = 0
        for slot in 0 ..< slotCount where inDegree[slot] == 0 && deleted[slot] == HNSWGraph.live && UInt32(slot) != entryPoint {
            let orphan = UInt32(slot)
            let base = UnsafePointer(vector(orphan))
            let own = links(orphan, 0)
            var neighbours: [Candidate] = []
            for j in 1 ..< min(Int(own[0]), maxLinks0) + 1 where deleted[Int(own[j])] == HNSWGraph.live {
                neighbours.append(Candidate(distance: distance(base, vector(own[j])), slot: own[j]))
            }
            neighbours.sort { $0.distance < $1.distance }
            for neighbour in neighbours {
                let list = links(neighbour.slot, 0)
                let n = min(Int(list[0]), maxLinks0)
                if n < maxLinks0 {
                    list[n + 1] = orphan
                    list[0] = UInt32(n + 1)
                } else {
                    let from = UnsafePointer(vector(neighbour.slot))
                    var farthest: (position: Int, distance: Float)?
                    for j in 1 ..< n + 1 where inDegree[Int(list[j])] > 1 {
                        let d = distance(from, vector(list[j]))
                        if farthest == nil || d > farthest!.distance { farthest = (j, d) }
                    }
                    guard let farthest else { continue }
                    inDegree[Int(list[farthest.position])] -= 1
                    list[farthest.position] = orphan
                }
                inDegree[slot] = 1
                linked += 1
                break
            }
        }
        return linked
    }

    /// How many live nodes link to each slot on layer 0 (saturating at 65,535).
    func liveInDegrees() -> [UInt16] {
        var inDegree = [UInt16](repeating: 0, count: slotCount)
        for slot in 0 ..< slotCount where deleted[slot] == HNSWGraph.live {
            let list = links(UInt32(slot), 0)
            for j in 1 ..< min(Int(list[0]), maxLinks0) + 1 where Int(list[j]) < slotCount && inDegree[Int(list[j])] < .max {
                inDegree[Int(list[j])] += 1
            }
        }
        return inDegree
    }
}
