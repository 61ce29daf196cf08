/// Every postings list of an index in one flat array, each list a contiguous segment with spare
/// capacity. Search reads a list as a plain buffer slice (no per-list array object, so no
/// retain/release or header load per query term); an append that outgrows its segment moves the
/// list to the end with doubled capacity, and `compacted()` squeezes out the abandoned space.
struct PostingStore: Sendable {
    struct Posting: Sendable, Hashable {
        var doc: UInt32
        var tf: Float
    }

    /// Where one list lives in `data`. One struct per list, so a query term's lookup touches one
    /// cache line rather than three parallel arrays (the lookup is cache-miss bound).
    struct Segment: Sendable {
        var start: Int
        var length: Int32
        var capacity: Int32
    }

    private(set) var data: [Posting] = []
    private var segments: [Segment] = []
    /// Slots left behind by moved segments.
    private(set) var abandoned = 0

    var indices: Range<Int> { segments.indices }

    init() {}

    /// Lists packed back to back in `data`, list `i` holding `counts[i]` postings.
    init(packed data: [Posting], counts: [Int32]) {
        self.data = data
        segments.reserveCapacity(counts.count)
        var offset = 0
        for count in counts {
            segments.append(Segment(start: offset, length: count, capacity: count))
            offset += Int(count)
        }
    }

    /// Each list's length, in list order (with `data` tightly packed, what `init(packed:)` takes).
    var counts: [Int32] { segments.map(\.length) }

    /// Whether the lists lie back to back with no spare or abandoned space, as files store them.
    var isPacked: Bool { abandoned == 0 && segments.allSatisfy { $0.length == $0.capacity } }

    func count(_ id: Int) -> Int { Int(segments[id].length) }

    /// The postings of list `id`, in doc order.
    subscript(id: Int) -> ArraySlice<Posting> { data[range(id)] }

    private func range(_ id: Int) -> Range<Int> {
        let segment = segments[id]
        return segment.start..<(segment.start + Int(segment.length))
    }

    /// Adds a list (empty by default) and returns its id.
    @discardableResult
    mutating func addList(_ postings: [Posting] = []) -> Int {
        segments.append(Segment(start: data.count, length: Int32(postings.count), capacity: Int32(postings.count)))
        data.append(contentsOf: postings)
        return segments.count - 1
    }

    /// Appends a posting whose doc is larger than any in the list.
    mutating func append(_ posting: Posting, to id: Int) {
        var segment = segments[id]
        if segment.length == segment.capacity {
            let newCapacity = max(4, Int(segment.capacity) * 2)
            let newStart = data.count
            // Element by element: a slice of `data` held across the append would force a copy of
            // the whole array.
            for i in range(id) { data.append(data[i]) }
            data.append(contentsOf: repeatElement(Posting(doc: 0, tf: 0), count: newCapacity - Int(segment.length)))
            abandoned += Int(segment.capacity)
            segment.start = newStart
            segment.capacity = Int32(newCapacity)
        }
        data[segment.start + Int(segment.length)] = posting
        segment.length += 1
        segments[id] = segment
    }

    /// Removes the posting for `doc` from list `id`; returns whether it was there.
    @discardableResult
    mutating func remove(doc: UInt32, from id: Int) -> Bool {
        var low = segments[id].start, high = range(id).upperBound
        let end = high
        while low < high {
            let mid = (low + high) / 2
            if data[mid].doc < doc { low = mid + 1 } else { high = mid }
        }
        guard low < end, data[low].doc == doc else { return false }
        data.withUnsafeMutableBufferPointer { buffer in
            for i in low..<(end - 1) { buffer[i] = buffer[i + 1] }
        }
        segments[id].length -= 1
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

    /// Calls `body` with a function that gives list `id` as a buffer, valid for the duration of
    /// the call.
    func withLists<R>(_ body: ((Int) -> UnsafeBufferPointer<Posting>) -> R) -> R {
        data.withUnsafeBufferPointer { all in
            body { id in UnsafeBufferPointer(rebasing: all[range(id)]) }
        }
    }

    /// Segment bounds that tests check: every list inside the array, within its capacity.
    func segmentViolations() -> [String] {
        var problems: [String] = []
        var used = 0
        for (id, segment) in segments.enumerated() {
            if segment.length > segment.capacity || segment.start + Int(segment.capacity) > data.count {
                problems.append("postings list \(id) overflows its segment")
            }
            used += Int(segment.capacity)
        }
        if used + abandoned != data.count { problems.append("postings storage accounting is off (\(used) + \(abandoned) != \(data.count))") }
        return problems
    }
}
