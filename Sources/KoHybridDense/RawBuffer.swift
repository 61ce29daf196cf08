/// A fixed-capacity buffer of trivial values that is either malloc'ed by us or borrowed from a
/// memory-mapped index file. Growing always moves it to memory we own.
struct RawBuffer<Element> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var capacity: Int
    private(set) var owned: Bool

    init(capacity: Int) {
        base = .allocate(capacity: max(capacity, 1))
        self.capacity = capacity
        owned = true
    }

    /// Borrows `capacity` elements of a mapping (the mapping must outlive the buffer's use).
    init(borrowing pointer: UnsafeMutableRawPointer, capacity: Int) {
        base = pointer.bindMemory(to: Element.self, capacity: max(capacity, 1))
        self.capacity = capacity
        owned = false
    }

    /// Reallocates to `newCapacity`, keeping the first `keep` elements.
    mutating func grow(to newCapacity: Int, keeping keep: Int) {
        guard newCapacity > capacity else { return }
        let fresh = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        fresh.update(from: base, count: min(keep, capacity))
        release()
        base = fresh
        capacity = newCapacity
        owned = true
    }

    func release() { if owned { base.deallocate() } }

    @inline(__always) subscript(i: Int) -> Element {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }

    var bytes: Int { capacity * MemoryLayout<Element>.stride }
}
