extension HNSWGraph {
    /// Checks the graph's structure. The quick form (run on every open, without layer 0) proves
    /// that a walk of the upper layers cannot step outside the buffers; the thorough form adds
    /// bookkeeping and link hygiene.
    ///
    /// - every link on layer l points to a used slot whose level is at least l, never to itself,
    ///   and a list holds at most 2M (layer 0) or M links;
    /// - the entry point is live and on the top layer (unless the graph is empty);
    /// - thorough: no duplicate links, no link to a free slot (only tombstones may still be
    ///   linked to), live count and key table agree with the slot states, the tombstone and
    ///   free lists hold exactly the slots in those states, upper lists lie inside the buffer.
    func checkInvariants(thorough: Bool = true, layer0: Bool = true) throws(VectorIndexError) {
        func fail(_ what: String) -> VectorIndexError { .invariantViolated(what) }
        guard slotCount <= capacity else { throw fail("\(slotCount) slots exceed capacity \(capacity)") }
        if liveCount == 0 {
            guard entryPoint == HNSWGraph.noSlot || slotCount > 0 else { throw fail("empty graph has an entry point") }
        } else {
            guard entryPoint < slotCount else { throw fail("entry point \(entryPoint) outside \(slotCount) slots") }
            guard deleted[Int(entryPoint)] == 0 else { throw fail("entry point \(entryPoint) is deleted") }
            guard Int(levels[Int(entryPoint)]) == maxLevel else {
                throw fail("entry point level \(levels[Int(entryPoint)]) differs from top layer \(maxLevel)")
            }
        }
        var live = 0
        for slot in 0 ..< slotCount {
            let level = Int(levels[slot])
            let state = deleted[slot]
            guard state <= HNSWGraph.free else { throw fail("slot \(slot) has an unknown state \(state)") }
            if state == HNSWGraph.free { continue }   // unreachable; its old lists do not matter
            if state == HNSWGraph.live {
                live += 1
                if level > maxLevel { throw fail("live slot \(slot) on layer \(level) above the top layer \(maxLevel)") }
            }
            if level > 0 {
                let end = Int(upperOffset[slot]) + level * (maxLinks + 1)
                guard end <= upper.capacity, end <= upperUsed else { throw fail("slot \(slot)'s upper links lie outside the upper buffer") }
            }
            for l in (layer0 ? 0 : 1) ..< level + 1 {
                let list = links(UInt32(slot), l)
                let n = Int(list[0])
                guard n <= maxLinks(onLevel: l) else { throw fail("slot \(slot) has \(n) links on layer \(l), more than \(maxLinks(onLevel: l))") }
                for j in 1 ..< n + 1 {
                    let t = Int(list[j])
                    guard t < slotCount else { throw fail("slot \(slot) links to \(t) on layer \(l), outside \(slotCount) slots") }
                    guard t != slot else { throw fail("slot \(slot) links to itself on layer \(l)") }
                    guard Int(levels[t]) >= l else { throw fail("slot \(slot) links on layer \(l) to slot \(t) of level \(levels[t])") }
                    if thorough, (1 ..< j).contains(where: { list[$0] == list[j] }) {
                        throw fail("slot \(slot) links to \(t) twice on layer \(l)")
                    }
                    if thorough, deleted[t] == HNSWGraph.free {
                        throw fail("slot \(slot) links on layer \(l) to slot \(t), which is free")
                    }
                }
            }
        }
        guard thorough else { return }
        guard live == liveCount else { throw fail("\(live) live slots but live count says \(liveCount)") }
        guard slotOfKey.count == liveCount else { throw fail("key table has \(slotOfKey.count) keys for \(liveCount) live slots") }
        for (key, slot) in slotOfKey {
            guard Int(slot) < slotCount, keys[Int(slot)] == key, deleted[Int(slot)] == 0 else {
                throw fail("key \(key) maps to slot \(slot), which does not hold it live")
            }
        }
        for (name, list, state) in [("tombstone", tombstones, HNSWGraph.tombstone), ("free-slot", freeSlots, HNSWGraph.free)] {
            let slots = Set(list)
            let expected = (0 ..< slotCount).reduce(0) { $0 + (deleted[$1] == state ? 1 : 0) }
            guard slots.count == list.count, slots.count == expected,
                  slots.allSatisfy({ Int($0) < slotCount && deleted[Int($0)] == state }) else {
                throw fail("\(name) list does not match the slots in that state")
            }
        }
    }
}

extension HNSWIndex {
    /// Throws when the graph breaks an invariant (see `HNSWGraph.checkInvariants`).
    public func checkInvariants() throws(VectorIndexError) {
        try lock.read { () throws(VectorIndexError) in try graph.checkInvariants() }
    }
}
