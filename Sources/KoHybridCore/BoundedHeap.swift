/// The `capacity` least elements seen so far (least by `<`), for top-k: a binary max-heap whose
/// root is the worst element kept, so a new element is compared with one value and most are
/// turned away in O(1). Ties need a total order (`VectorHit` breaks them by key), which makes
/// the kept set, and so the answer, independent of the order the elements arrive in.
///
/// ```swift
/// var top = BoundedHeap<VectorHit>(capacity: 2)
/// for hit in hits { top.insert(hit) }
/// let best = top.sorted()   // the two closest, closest first
/// ```
///
/// Sparse scores, where higher is better, use an element type whose `<` reads "ranks before"
/// (see `RankedHit` in KoHybridSparse).
@frozen
public struct BoundedHeap<Element: Comparable> {
    /// How many elements are kept at most (0 keeps none).
    public let capacity: Int
    /// The kept elements in heap order: `storage[0]` is the greatest.
    @usableFromInline var storage: [Element] = []

    @inlinable
    public init(capacity: Int) {
        self.capacity = max(capacity, 0)
        // Room up front for the common k; a huge k from a caller grows the array as it fills.
        storage.reserveCapacity(min(self.capacity, 1 << 12))
    }

    @inlinable public var count: Int { storage.count }
    @inlinable public var isEmpty: Bool { storage.isEmpty }
    @inlinable public var isFull: Bool { storage.count == capacity }

    /// The element a newcomer must beat (be less than) to get in, once the heap is full; nil
    /// while there is still room.
    @inlinable
    public var worst: Element? { isFull ? storage.first : nil }

    /// Keeps `element` if there is room or it is less than the worst element kept (which it then
    /// replaces); an element equal to the worst is turned away.
    @inlinable
    public mutating func insert(_ element: Element) {
        guard capacity > 0 else { return }
        if storage.count < capacity {
            storage.append(element)
            siftUp(storage.count - 1)
        } else if element < storage[0] {
            storage[0] = element
            siftDown(0)
        }
    }

    /// The kept elements, least first.
    @inlinable
    public func sorted() -> [Element] { storage.sorted() }

    /// The kept elements in no particular order.
    @inlinable
    public var unordered: [Element] { storage }

    @inlinable
    mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard storage[parent] < storage[child] else { return }
            storage.swapAt(parent, child)
            child = parent
        }
    }

    @inlinable
    mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var largest = parent
            if left < storage.count, storage[largest] < storage[left] { largest = left }
            if right < storage.count, storage[largest] < storage[right] { largest = right }
            if largest == parent { return }
            storage.swapAt(parent, largest)
            parent = largest
        }
    }
}

extension BoundedHeap: Sendable where Element: Sendable {}
