/// A 64-bit checksum over 8-byte words (FNV-1a's step on words instead of bytes): each step is
/// a bijection of the state, so any change to one word changes the result, at memory speed.
/// Used for the BM25 snapshot file and the snapshot manifest.
///
/// ```swift
/// let sum = bytes.withUnsafeBytes { Checksum64.of($0) }
/// ```
public enum Checksum64 {
    public static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let words = bytes.count / 8
        for i in 0..<words {
            hash = (hash ^ UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))) &* 0x0000_0100_0000_01B3
        }
        for i in (words * 8)..<bytes.count { hash = (hash ^ UInt64(bytes[i])) &* 0x0000_0100_0000_01B3 }
        return hash ^ UInt64(bytes.count)
    }

    public static func of(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { of($0) } }
}
