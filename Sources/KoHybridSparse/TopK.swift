/// The k best hits seen so far: a binary heap with the worst hit at the root. "Better" means a
/// higher score, then a smaller key, so results are deterministic under ties.
struct TopK {
    let k: Int
    private(set) var heap: [BM25Hit] = []

    init(k: Int) { self.k = k; heap.reserveCapacity(k) }

    var isFull: Bool { heap.count >= k }

    /// The score a hit must reach to have a chance of entering (−∞ until full).
    var threshold: Float { isFull ? heap[0].score : -.infinity }

    @inline(__always)
    static func isBetter(_ a: BM25Hit, than b: BM25Hit) -> Bool {
        a.score > b.score || (a.score == b.score && a.key < b.key)
    }

    mutating func offer(_ hit: BM25Hit) {
        guard k > 0 else { return }
        if heap.count < k {
            heap.append(hit)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.isBetter(heap[parent], than: heap[child]) else { break }
                heap.swapAt(parent, child)
                child = parent
            }
        } else if Self.isBetter(hit, than: heap[0]) {
            heap[0] = hit
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var worst = parent
                if left < heap.count, Self.isBetter(heap[worst], than: heap[left]) { worst = left }
                if right < heap.count, Self.isBetter(heap[worst], than: heap[right]) { worst = right }
                if worst == parent { break }
                heap.swapAt(parent, worst)
                parent = worst
            }
        }
    }

    /// Best first.
    func sorted() -> [BM25Hit] { heap.sorted { Self.isBetter($0, than: $1) } }
}
