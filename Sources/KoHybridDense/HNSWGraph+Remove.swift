extension HNSWGraph {
    /// Removes a live slot. The node stays in the graph as a tombstone: walks still route through
    /// it (so nothing it led to becomes unreachable) but never return it. Tombstones are taken
    /// out of the graph, and their slots freed for reuse, by ``consolidate(threads:)``.
    func remove(slot: UInt32) {
        deleted[Int(slot)] = HNSWGraph.tombstone
        slotOfKey[keys[Int(slot)]] = nil
        liveCount -= 1
        guard liveCount > 0 else {
            reset()
            return
        }
        tombstones.append(slot)
        if entryPoint == slot { chooseEntryPoint() }
    }

    /// Makes the live node with the highest layer the entry point (the old one was removed).
    func chooseEntryPoint() {
        var best = HNSWGraph.noSlot
        var bestLevel = -1
        for slot in 0 ..< slotCount where deleted[slot] == HNSWGraph.live && Int(levels[slot]) > bestLevel {
            best = UInt32(slot)
            bestLevel = Int(levels[slot])
        }
        entryPoint = best
        maxLevel = bestLevel
    }
}
