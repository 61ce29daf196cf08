/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator, so anything drawn from it
/// (HNSW levels, benchmark noise, random test records, randomization tests) is the same on every
/// run and machine. Its whole state is one word (`state`), which an index file can store to
/// carry on the same sequence after a reload.
///
/// ```swift
/// var random = SplitMix64(seed: 42)
/// let noise = Float.random(in: -0.01...0.01, using: &random)
/// let u = random.nextUnitInterval()   // uniform in [0, 1)
/// ```
@frozen
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    /// The generator's whole state: the next value depends on nothing else.
    public var state: UInt64

    @inlinable
    public init(seed: UInt64) { state = seed }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A double uniform in [0, 1): the top 53 bits of the next value.
    @inlinable
    public mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }
}
