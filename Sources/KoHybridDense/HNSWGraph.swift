import CVectorKernels
import Foundation
import KoHybridCore

/// The storage and bookkeeping of an HNSW graph (Malkov & Yashunin 2018), laid out like
/// hnswlib's `hnswalg.h`: one contiguous buffer holds, per slot, the level-0 neighbour list and
/// the vector, so a search touches one cache-friendly record per node.
///
/// ```
/// level-0 record (recordWords x 4 bytes):  [count][2M neighbour slots][pad][dimension floats]
/// upper layers (only nodes with level >= 1): upper[upperOffset[slot] + (l-1)(M+1) ...] = [count][M slots]
/// ```
/// Not thread-safe by itself: ``HNSWIndex`` serialises writers and shares readers with a lock.
/// During a parallel batch insert, per-node spin locks guard the neighbour lists (as in hnswlib).
final class HNSWGraph: @unchecked Sendable {
    static let noSlot = UInt32.max
    /// The states a slot's `deleted` byte records.
    static let live: UInt8 = 0, tombstone: UInt8 = 1, free: UInt8 = 2

    let dimension: Int
    let metric: DistanceMetric
    let parameters: HNSWParameters
    /// Neighbour-list capacity on layer 0 (2M) and above (M).
    let maxLinks0: Int
    let maxLinks: Int
    let recordWords: Int
    let vectorOffset: Int
    let levelMultiplier: Double

    var level0: RawBuffer<UInt32>
    var keys: RawBuffer<UInt64>
    var levels: RawBuffer<UInt8>
    var deleted: RawBuffer<UInt8>
    var upperOffset: RawBuffer<UInt32>
    var upper: RawBuffer<UInt32>
    var upperUsed = 0
    /// Slots in use (live or deleted); slots at or above this are free space.
    var slotCount = 0
    var liveCount = 0
    var entryPoint = HNSWGraph.noSlot
    var maxLevel = -1
    var slotOfKey: [UInt64: UInt32] = [:]
    /// Removed slots still in the graph as routes (`deleted` = ``tombstone``).
    var tombstones: [UInt32] = []
    /// Slots no list points to any more (`deleted` = ``free``), reused by later inserts.
    var freeSlots: [UInt32] = []
    /// Draws each node's level; its state is saved with the index, so a reloaded graph draws on.
    var levelGenerator: SplitMix64

    /// One spin-lock word per slot, plus one for the entry point.
    private(set) var nodeLocks: RawBuffer<Int32>
    let globalLock = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    /// Keeps a memory-mapped file alive while sections point into it.
    var mapping: MappedIndexFile?

    private var pool: [SearchContext] = []
    private let poolLock = UnsafeMutablePointer<Int32>.allocate(capacity: 1)

    var capacity: Int { keys.capacity }

    init(dimension: Int, metric: DistanceMetric, parameters: HNSWParameters, capacity: Int = 0) {
        let p = parameters.sanitized
        self.dimension = dimension
        self.metric = metric
        self.parameters = p
        maxLinks = p.m
        maxLinks0 = 2 * p.m
        // Vectors start 16-byte aligned within the record.
        vectorOffset = (1 + maxLinks0 + 3) & ~3
        recordWords = (vectorOffset + dimension + 3) & ~3
        levelMultiplier = 1 / log(Double(max(p.m, 2)))
        levelGenerator = SplitMix64(seed: p.seed)
        level0 = RawBuffer(capacity: capacity * recordWords)
        keys = RawBuffer(capacity: capacity)
        levels = RawBuffer(capacity: capacity)
        deleted = RawBuffer(capacity: capacity)
        upperOffset = RawBuffer(capacity: capacity)
        upper = RawBuffer(capacity: 0)
        nodeLocks = RawBuffer(capacity: capacity)
        nodeLocks.base.initialize(repeating: 0, count: capacity)
        globalLock.initialize(to: 0)
        poolLock.initialize(to: 0)
    }

    deinit {
        level0.release(); keys.release(); levels.release(); deleted.release()
        upperOffset.release(); upper.release(); nodeLocks.release()
        globalLock.deallocate(); poolLock.deallocate()
    }

    // MARK: Record access

    @inline(__always) func vector(_ slot: UInt32) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(level0.base + Int(slot) * recordWords + vectorOffset)
            .assumingMemoryBound(to: Float.self)
    }

    /// The neighbour list of `slot` on `level`: element 0 is the count, then the slots.
    @inline(__always) func links(_ slot: UInt32, _ level: Int) -> UnsafeMutablePointer<UInt32> {
        level == 0
            ? level0.base + Int(slot) * recordWords
            : upper.base + Int(upperOffset[Int(slot)]) + (level - 1) * (maxLinks + 1)
    }

    @inline(__always) func maxLinks(onLevel level: Int) -> Int { level == 0 ? maxLinks0 : maxLinks }

    @inline(__always) func distance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>) -> Float {
        metric.distance(a, b, dimension)
    }

    // MARK: Capacity

    /// Makes room for `slots` slots and `upperWords` more upper-layer words. Called before a
    /// parallel insert starts, so the threads never see a buffer move.
    func reserve(slots: Int, upperWords: Int = 0) {
        if slots > capacity {
            let keep = slotCount
            level0.grow(to: slots * recordWords, keeping: keep * recordWords)
            keys.grow(to: slots, keeping: keep)
            levels.grow(to: slots, keeping: keep)
            deleted.grow(to: slots, keeping: keep)
            upperOffset.grow(to: slots, keeping: keep)
            let oldLocks = nodeLocks.capacity
            nodeLocks.grow(to: slots, keeping: oldLocks)
            (nodeLocks.base + oldLocks).initialize(repeating: 0, count: slots - oldLocks)
        }
        if upperUsed + upperWords > upper.capacity {
            upper.grow(to: max(upperUsed + upperWords, upper.capacity + upper.capacity / 2), keeping: upperUsed)
        }
    }

    /// Fresh, unlocked lock words for `count` slots (after opening a file).
    func allocateNodeLocks(_ count: Int) {
        nodeLocks.release()
        nodeLocks = RawBuffer(capacity: count)
        nodeLocks.base.initialize(repeating: 0, count: count)
    }

    /// Bytes held by the graph's own buffers (vectors, links, keys, levels) and an estimate
    /// for the key dictionary.
    var memoryBytes: Int {
        level0.bytes + keys.bytes + levels.bytes + deleted.bytes + upperOffset.bytes + upper.bytes
            + nodeLocks.bytes + slotOfKey.capacity * 24 + (tombstones.capacity + freeSlots.capacity) * 4
    }

    // MARK: Levels

    /// The next layer from the seeded generator: floor(-ln(U) * mL) with mL = 1/ln(M)
    /// (Malkov & Yashunin 2018, section 4.1). SplitMix64 keeps it reproducible across platforms.
    func drawLevel() -> Int {
        let u = levelGenerator.nextUnitInterval()
        let level = -log(max(u, .leastNonzeroMagnitude)) * levelMultiplier
        return min(Int(level), 64)
    }

    // MARK: Search contexts

    func acquireContext() -> SearchContext {
        kh_spin_lock(poolLock)
        let context = pool.popLast()
        kh_spin_unlock(poolLock)
        return context ?? SearchContext(capacity: max(capacity, 1024), maxLinks: maxLinks0)
    }

    func releaseContext(_ context: SearchContext) {
        kh_spin_lock(poolLock)
        if pool.count < 64 { pool.append(context) }
        kh_spin_unlock(poolLock)
    }

    // MARK: Slots

    /// Takes a slot for `key` holding `vector` (already prepared), with its links cleared and
    /// its level chosen. A free slot has no links pointing at it (consolidation removed them);
    /// it keeps its old level so its upper-layer space fits. Capacity must be reserved.
    func claimSlot(key: UInt64, vector source: UnsafePointer<Float>) -> UInt32 {
        let slot: UInt32
        if let reused = freeSlots.popLast() {
            slot = reused
        } else {
            slot = UInt32(slotCount)
            slotCount += 1
            let level = drawLevel()
            levels[Int(slot)] = UInt8(level)
            reserve(slots: slotCount, upperWords: level * (maxLinks + 1))
            upperOffset[Int(slot)] = UInt32(upperUsed)
            upperUsed += level * (maxLinks + 1)
        }
        keys[Int(slot)] = key
        deleted[Int(slot)] = HNSWGraph.live
        vector(slot).update(from: source, count: dimension)
        for level in 0...Int(levels[Int(slot)]) { links(slot, level)[0] = 0 }
        slotOfKey[key] = slot
        liveCount += 1
        return slot
    }

    /// Forgets everything (used when the last live record is removed).
    func reset() {
        slotCount = 0
        liveCount = 0
        upperUsed = 0
        entryPoint = HNSWGraph.noSlot
        maxLevel = -1
        slotOfKey.removeAll(keepingCapacity: true)
        tombstones.removeAll()
        freeSlots.removeAll()
    }
}
