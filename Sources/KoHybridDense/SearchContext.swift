/// Per-search scratch memory, reused across queries through a small pool (hnswlib's
/// VisitedListPool): a generation-stamped visited array (clearing it is one increment, not a
/// memset per query) and the two heaps of the best-first search.
final class SearchContext {
    private(set) var visited: UnsafeMutablePointer<UInt16>
    private(set) var capacity: Int
    private(set) var generation: UInt16 = 0
    var candidates = CandidateHeap()   // min-heap: next node to expand
    var results = CandidateHeap()      // max-heap: the ef best so far
    /// Room for one copied neighbour list during a parallel build.
    let linkCopy: UnsafeMutablePointer<UInt32>

    init(capacity: Int, maxLinks: Int) {
        self.capacity = capacity
        visited = .allocate(capacity: max(capacity, 1))
        visited.initialize(repeating: 0, count: max(capacity, 1))
        linkCopy = .allocate(capacity: maxLinks + 1)
    }

    deinit {
        visited.deallocate()
        linkCopy.deallocate()
        candidates.release()
        results.release()
    }

    /// Starts a new search over `slots` slots; returns the stamp that marks "visited".
    func begin(slots: Int) -> UInt16 {
        if slots > capacity {
            visited.deallocate()
            capacity = max(slots, capacity * 2)
            visited = .allocate(capacity: capacity)
            visited.initialize(repeating: 0, count: capacity)
            generation = 0
        }
        generation &+= 1
        if generation == 0 {
            visited.update(repeating: 0, count: capacity)
            generation = 1
        }
        candidates.removeAll()
        results.removeAll()
        return generation
    }
}

/// A node and its distance to the query.
struct Candidate {
    var distance: Float
    var slot: UInt32
}

/// A binary heap of candidates over manually managed memory (no copy-on-write or bounds checks
/// in the search loop). `isMax` picks the order: max-heap for results, min-heap for candidates.
struct CandidateHeap {
    private(set) var items: UnsafeMutablePointer<Candidate>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
        items = .allocate(capacity: capacity)
    }

    func release() { items.deallocate() }

    mutating func removeAll() { count = 0 }

    var isEmpty: Bool { count == 0 }
    @inline(__always) var top: Candidate { items[0] }

    @inline(__always)
    mutating func push(_ c: Candidate, max isMax: Bool) {
        if count == capacity {
            let fresh = UnsafeMutablePointer<Candidate>.allocate(capacity: capacity * 2)
            fresh.update(from: items, count: count)
            items.deallocate()
            items = fresh
            capacity *= 2
        }
        var i = count
        count += 1
        while i > 0 {
            let parent = (i - 1) >> 1
            let p = items[parent]
            if isMax ? p.distance >= c.distance : p.distance <= c.distance { break }
            items[i] = p
            i = parent
        }
        items[i] = c
    }

    @inline(__always) @discardableResult
    mutating func pop(max isMax: Bool) -> Candidate {
        let result = items[0]
        count -= 1
        guard count > 0 else { return result }
        let last = items[count]
        var i = 0
        while true {
            let l = 2 * i + 1
            if l >= count { break }
            var child = l
            let r = l + 1
            if r < count {
                let better = isMax ? items[r].distance > items[l].distance : items[r].distance < items[l].distance
                if better { child = r }
            }
            let c = items[child]
            if isMax ? c.distance <= last.distance : c.distance >= last.distance { break }
            items[i] = c
            i = child
        }
        items[i] = last
        return result
    }

    /// The contents in heap order (callers sort when they need order).
    var unordered: UnsafeBufferPointer<Candidate> { UnsafeBufferPointer(start: items, count: count) }
}
