/// Keeps the k closest hits seen so far (a max-heap on distance, ties broken by key), for exact
/// scans.
struct TopK {
    let k: Int
    private(set) var heap: [VectorHit] = []

    init(_ k: Int) {
        self.k = max(k, 0)
        heap.reserveCapacity(self.k + 1)
    }

    /// The distance a new hit must beat once the heap is full.
    var worst: VectorHit? { heap.count == k ? heap.first : nil }

    mutating func offer(_ hit: VectorHit) {
        guard k > 0 else { return }
        if heap.count < k {
            heap.append(hit)
            siftUp(heap.count - 1)
        } else if hit < heap[0] {
            heap[0] = hit
            siftDown(0)
        }
    }

    /// Closest first.
    func sorted() -> [VectorHit] { heap.sorted() }

    private mutating func siftUp(_ start: Int) {
        var i = start
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[parent] < heap[i] else { return }
            heap.swapAt(parent, i)
            i = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        while true {
            let l = 2 * i + 1, r = l + 1
            var largest = i
            if l < heap.count && heap[largest] < heap[l] { largest = l }
            if r < heap.count && heap[largest] < heap[r] { largest = r }
            if largest == i { return }
            heap.swapAt(i, largest)
            i = largest
        }
    }
}
