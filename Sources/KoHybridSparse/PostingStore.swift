/// Every postings list of an index in one flat array, each list a contiguous segment with spare
/// capacity. Search reads a list as a plain buffer slice (no per-list array object, so no
/// retain/release or header load per query term); an append that outgrows its segment moves the
/// list to the end with doubled capacity, and `compacted()` squeezes out the abandoned space.
struct PostingStore: Sendable {
    struct Posting: Sendable, Hashable {
        var doc: UInt32
        var tf: Float
    }

    private(set) var data: [Posting] = []
    private var start: [Int] = []
    private var length: [Int32] = []
    private var capacity: [Int32] = []
    /// Slots left behind by moved segments.
    private(set) var abandoned = 0

    var indices: Range<Int> { start.indices }

    init() {}

    /// Lists packed back to back in `data`, list `i` holding `counts[i]` postings.
    init(packed data: [Posting], counts: [Int32]) {
        self.data = data
        length = counts
        capacity = counts
        start.reserveCapacity(counts.count)
        var offset = 0
        for count in counts { start.append(offset); offset += Int(count) }
    }

    /// Each list's length, in list order (with `data` tightly packed, what `init(packed:)` takes).
    var counts: [Int32] { length }

    func count(_ id: Int) -> Int { Int(length[id]) }

    /// The postings of list `id`, in doc order.
    subscript(id: Int) -> ArraySlice<Posting> { data[start[id]..<(start[id] + Int(length[id]))] }

    /// Adds a list (empty by default) and returns its id.
    @discardableResult
    mutating func addList(_ postings: [Posting] = []) -> Int {
        start.append(data.count)
        length.append(Int32(postings.count))
        capacity.append(Int32(postings.count))
        data.append(contentsOf: postings)
        return start.count - 1
    }

    /// Appends a posting whose doc is larger than any in the list.
    mutating func append(_ posting: Posting, to id: Int) {
        if length[id] == capacity[id] {
            let newCapacity = max(4, Int(capacity[id]) * 2)
            let newStart = data.count
            // Element by element: a slice of `data` held across the append would force a copy of
            // the whole array.
            for i in start[id]..<(start[id] + Int(length[id])) { data.append(data[i]) }
            data.append(contentsOf: repeatElement(Posting(doc: 0, tf: 0), count: newCapacity - Int(length[id])))
            abandoned += Int(capacity[id])
            start[id] = newStart
            capacity[id] = Int32(newCapacity)
        }
        data[start[id] + Int(length[id])] = posting
        length[id] += 1
    }

    /// Removes the posting for `doc` from list `id`; returns whether it was there.
    @discardableResult
    mutating func remove(doc: UInt32, from id: Int) -> Bool {
        var low = start[id], high = start[id] + Int(length[id])
        let end = high
        while low < high {
            let mid = (low + high) / 2
            if data[mid].doc < doc { low = mid + 1 } else { high = mid }
        }
        guard low < end, data[low].doc == doc else { return false }
        data.withUnsafeMutableBufferPointer { buffer in
            for i in low..<(end - 1) { buffer[i] = buffer[i + 1] }
        }
        length[id] -= 1
        return true
    }

    /// A copy with every list tightly packed, keeping only lists `keep` says yes to, in order,
    /// with docs renumbered by `renumber`.
    func compacted(keep: (Int) -> Bool, renumber: (UInt32) -> UInt32) -> PostingStore {
        var result = PostingStore()
        result.data.reserveCapacity(data.count - abandoned)
        for id in indices where keep(id) {
            result.addList(self[id].map { Posting(doc: renumber($0.doc), tf: $0.tf) })
        }
        return result
    }

    /// Calls `body` with one buffer per requested list, all valid for the duration of the call.
    func withLists<R>(_ ids: [Int], _ body: ([UnsafeBufferPointer<Posting>]) -> R) -> R {
        data.withUnsafeBufferPointer { all in
            body(ids.map { UnsafeBufferPointer(rebasing: all[start[$0]..<(start[$0] + Int(length[$0]))]) })
        }
    }

    /// Segment bounds that tests check: every list inside the array, within its capacity.
    func segmentViolations() -> [String] {
        var problems: [String] = []
        var used = 0
        for id in indices {
            if length[id] > capacity[id] || start[id] + Int(capacity[id]) > data.count {
                problems.append("postings list \(id) overflows its segment")
            }
            used += Int(capacity[id])
        }
        if used + abandoned != data.count { problems.append("postings storage accounting is off (\(used) + \(abandoned) != \(data.count))") }
        return problems
    }
}
