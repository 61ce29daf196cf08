import Dispatch
import Foundation

/// The one way KoHybrid runs a loop on several threads: index building (HNSW inserts and
/// consolidation, document analysis) and evaluation (one search per query).
///
/// Threads take `chunk` indices at a time from a shared counter, so a slow index never holds up
/// the others; with one thread (or one chunk) the loop runs inline on the caller's thread.
///
/// ```swift
/// let terms = Parallel.map(count: texts.count, threads: 4) { analyzer.analyze(texts[$0]) }
/// Parallel.forEach(count: slots.count, threads: 4) { i in link(slots[i]) }
/// ```
public enum Parallel {
    /// How many threads a loop over `count` indices in chunks of `chunk` uses at most.
    @inlinable
    public static func workers(count: Int, threads: Int, chunk: Int = 1) -> Int {
        let chunks = (count + max(chunk, 1) - 1) / max(chunk, 1)
        return max(1, min(threads, chunks))
    }

    /// Calls `body(i)` for every `i` in `0..<count` on up to `threads` threads.
    public static func forEach(count: Int, threads: Int, chunk: Int = 1, _ body: @Sendable (Int) -> Void) {
        forEach(count: count, threads: threads, chunk: chunk, state: { () }, release: { _ in }) { i, _ in body(i) }
    }

    /// Calls `body(i, &state)` for every `i` in `0..<count` on up to `threads` threads. Each
    /// thread makes its own `state` (scratch memory, a search context) before its first index and
    /// hands it to `release` after its last, so threads never share it.
    public static func forEach<State>(count: Int, threads: Int, chunk: Int = 1,
                                      state makeState: @Sendable () -> State,
                                      release: @Sendable (State) -> Void,
                                      _ body: @Sendable (Int, inout State) -> Void) {
        guard count > 0 else { return }
        let chunk = max(chunk, 1)
        let counter = ChunkCounter(count: count, chunk: chunk)
        @Sendable func work() {
            var state = makeState()
            while let range = counter.next() {
                for i in range { body(i, &state) }
            }
            release(state)
        }
        let workers = workers(count: count, threads: threads, chunk: chunk)
        if workers == 1 { work() } else { DispatchQueue.concurrentPerform(iterations: workers) { _ in work() } }
    }

    /// `body(i)` for every `i` in `0..<count`, computed on up to `threads` threads, in index
    /// order. Each thread takes one contiguous share, so it touches its own part of the memory.
    public static func map<T: Sendable>(count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let workers = workers(count: count, threads: threads)
        let share = (count + workers - 1) / workers
        let results = ResultSlots<T>(count: count)
        forEach(count: count, threads: threads, chunk: share) { i in results.set(i, body(i)) }
        return results.values()
    }
}

/// Hands out `0..<count` in ranges of `chunk` to whichever thread asks next.
private final class ChunkCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var nextStart = 0
    private let count: Int
    private let chunk: Int

    init(count: Int, chunk: Int) { self.count = count; self.chunk = chunk }

    func next() -> Range<Int>? {
        lock.lock()
        let start = nextStart
        nextStart = min(count, start + chunk)
        lock.unlock()
        return start < count ? start ..< min(count, start + chunk) : nil
    }
}

/// Slots each written by exactly one thread (disjoint indices), read after all threads finish.
/// A raw buffer rather than an array, so concurrent writers never touch a shared array header.
private final class ResultSlots<T>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }

    func set(_ index: Int, _ value: T) { buffer[index] = value }
    func values() -> [T] { buffer.compactMap { $0 } }
}
