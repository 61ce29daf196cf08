import Foundation

/// Runs `body(i)` for every i in `0..<count` on up to `threads` threads and returns the results
/// in index order. Work is handed out in contiguous chunks so each thread touches its own slice.
func parallelMap<T: Sendable>(count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let workers = max(1, min(threads, count))
    let results = ResultSlots<T>(count: count)
    let chunk = (count + workers - 1) / workers
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        let start = worker * chunk
        let end = min(start + chunk, count)
        guard start < end else { return }
        for i in start..<end { results.set(i, body(i)) }
    }
    return results.values()
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
