extension HNSWGraph {
    /// Removes a live slot. The node stays in the graph as a routing-only tombstone (never
    /// returned) until an insert reuses its slot. Each live neighbour that linked to it loses
    /// that link and gains the closest of the removed node's other neighbours instead, so paths
    /// that went through it survive the slot's later reuse.
    func remove(slot: UInt32) {
        deleted[Int(slot)] = 1
        slotOfKey[keys[Int(slot)]] = nil
        liveCount -= 1
        guard liveCount > 0 else {
            reset()
            return
        }
        freeSlots.append(slot)

        for level in 0...Int(levels[Int(slot)]) {
            let mine = links(slot, level)
            let count = min(Int(mine[0]), maxLinks(onLevel: level))
            for i in 1 ..< count + 1 {
                let neighbour = mine[i]
                guard neighbour < slotCount, deleted[Int(neighbour)] == 0 else { continue }
                repair(neighbour, losing: slot, replacements: mine, level: level)
            }
        }
        if entryPoint == slot { chooseEntryPoint() }
    }

    /// Replaces `lost` in `node`'s list on `level` with the closest live candidate from
    /// `replacements` (a neighbour list) that `node` does not already link to.
    private func repair(_ node: UInt32, losing lost: UInt32, replacements: UnsafeMutablePointer<UInt32>, level: Int) {
        let list = links(node, level)
        var n = min(Int(list[0]), maxLinks(onLevel: level))
        guard let position = (1 ..< n + 1).first(where: { list[$0] == lost }) else { return }
        list[position] = list[n]
        n -= 1
        list[0] = UInt32(n)
        let base = UnsafePointer(vector(node))
        var best: Candidate?
        for j in 1 ..< min(Int(replacements[0]), maxLinks(onLevel: level)) + 1 {
            let c = replacements[j]
            guard c < slotCount, c != node, c != lost, deleted[Int(c)] == 0,
                  !(1 ..< n + 1).contains(where: { list[$0] == c }) else { continue }
            let d = distance(base, vector(c))
            if best == nil || d < best!.distance { best = Candidate(distance: d, slot: c) }
        }
        if let best {
            list[n + 1] = best.slot
            list[0] = UInt32(n + 1)
        }
    }

    /// Makes the live node with the highest layer the entry point (the old one was removed).
    func chooseEntryPoint() {
        var best = HNSWGraph.noSlot
        var bestLevel = -1
        for slot in 0 ..< slotCount where deleted[slot] == 0 && Int(levels[slot]) > bestLevel {
            best = UInt32(slot)
            bestLevel = Int(levels[slot])
        }
        entryPoint = best
        maxLevel = bestLevel
    }
}
