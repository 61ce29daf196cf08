import Foundation
import Testing
import KoHybridCore

@Suite struct BoundedHeapTests {
    /// Hits with many tied scores, broken by key, as the engines' result types do.
    struct Hit: Comparable {
        var score: Int
        var key: Int
        static func < (a: Hit, b: Hit) -> Bool { a.score != b.score ? a.score < b.score : a.key < b.key }
    }

    @Test(arguments: [0, 1, 2, 7, 100, 1000])
    func keepsTheLeastElementsInOrder(capacity: Int) {
        var random = SplitMix64(seed: UInt64(capacity) + 11)
        let hits = (0..<500).map { Hit(score: Int(random.next() % 20), key: $0) }.shuffled(using: &random)
        var heap = BoundedHeap<Hit>(capacity: capacity)
        for hit in hits { heap.insert(hit) }
        #expect(heap.sorted() == Array(hits.sorted().prefix(capacity)))
        #expect(heap.count == min(capacity, hits.count))
        #expect(heap.isFull == (capacity <= hits.count))
    }

    @Test func worstIsTheBarOnceFull() {
        var heap = BoundedHeap<Int>(capacity: 3)
        for x in [9, 4, 7] { heap.insert(x) }
        #expect(heap.worst == 9)
        heap.insert(9)   // equal to the worst: turned away
        heap.insert(1)
        #expect(heap.sorted() == [1, 4, 7])
        #expect(heap.worst == 7)
        var open = BoundedHeap<Int>(capacity: 3)
        open.insert(5)
        #expect(open.worst == nil)
    }

    @Test func aHugeCapacityDoesNotAllocateUpFront() {
        var heap = BoundedHeap<Int>(capacity: Int.max)
        for x in [3, 1, 2] { heap.insert(x) }
        #expect(heap.sorted() == [1, 2, 3] && !heap.isFull)
    }
}

@Suite struct ParallelTests {
    @Test(arguments: [1, 2, 3, 8])
    func mapKeepsIndexOrder(threads: Int) {
        let squares = Parallel.map(count: 1001, threads: threads) { $0 * $0 }
        #expect(squares == (0..<1001).map { $0 * $0 })
        #expect(Parallel.map(count: 0, threads: threads) { $0 }.isEmpty)
    }

    @Test(arguments: [(1, 1), (2, 1), (4, 7), (3, 256)])
    func forEachVisitsEveryIndexOnceWithOneStatePerThread(threads: Int, chunk: Int) {
        let count = 2000
        let visits = Counters(count)
        let states = Counters(1)
        Parallel.forEach(count: count, threads: threads, chunk: chunk,
                         state: { states.add(0); return [Int]() }, release: { _ in }) { i, seen in
            seen.append(i)          // the state is this thread's own: no lock needed
            visits.add(i)
        }
        #expect(visits.values == [Int](repeating: 1, count: count))
        #expect(states.values[0] >= 1 && states.values[0] <= Parallel.workers(count: count, threads: threads, chunk: chunk))
    }
}

@Suite struct SplitMix64Tests {
    /// The reference outputs of Steele, Lea & Flood's generator for seed 0 (as in Vigna's
    /// splitmix64.c), so a change of constants or shifts cannot pass unnoticed.
    @Test func matchesTheReferenceSequence() {
        var random = SplitMix64(seed: 0)
        #expect([random.next(), random.next(), random.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
        var again = SplitMix64(seed: 0)
        _ = again.next()
        var resumed = SplitMix64(seed: again.state)   // the state alone carries the sequence on
        #expect(resumed.next() == 0x6E78_9E6A_A1B9_65F4)
        var seven = SplitMix64(seed: 7)
        let u = seven.nextUnitInterval()
        #expect(u >= 0 && u < 1)
    }
}

/// Thread-safe counters for the tests above.
final class Counters: @unchecked Sendable {
    private var storage: [Int]
    private let lock = NSLock()
    init(_ count: Int) { storage = [Int](repeating: 0, count: count) }
    func add(_ i: Int) { lock.withLock { storage[i] += 1 } }
    var values: [Int] { lock.withLock { storage } }
}
