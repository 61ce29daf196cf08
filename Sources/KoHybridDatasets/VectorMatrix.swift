import Foundation
import KoHybridFiles

/// Row-major float32 vectors, as stored in the raw little-endian `*.f32` files beside a corpus.
///
/// ```swift
/// let vectors = try VectorMatrix.read(contentsOf: url, dimension: 384)
/// let first = vectors[0]   // ArraySlice<Float> of 384 values
/// ```
public struct VectorMatrix: Sendable, Equatable {
    public let dimension: Int
    /// All rows, concatenated.
    public private(set) var values: [Float]

    public var count: Int { dimension == 0 ? 0 : values.count / dimension }

    public init(dimension: Int, values: [Float] = []) {
        precondition(dimension > 0 && values.count % dimension == 0, "values must hold whole rows")
        self.dimension = dimension
        self.values = values
    }

    public subscript(row: Int) -> ArraySlice<Float> {
        values[row * dimension ..< (row + 1) * dimension]
    }

    public mutating func append<C: Collection>(_ row: C) where C.Element == Float {
        precondition(row.count == dimension, "row has \(row.count) values, expected \(dimension)")
        values.append(contentsOf: row)
    }

    /// Reads a raw little-endian float32 file. `expectedRows`, when given, must match.
    public static func read(contentsOf url: URL, dimension: Int, expectedRows: Int? = nil) throws(DatasetError) -> VectorMatrix {
        let path = url.path
        let data = try DatasetFile.mapped(url)
        // Checked before any arithmetic: a huge dimension must be an error, not an overflow trap.
        let (rowBytes, overflow) = dimension.multipliedReportingOverflow(by: MemoryLayout<Float>.size)
        guard dimension > 0, !overflow, data.count % rowBytes == 0 else {
            throw .vectorFileSize(path: path, bytes: data.count, dimension: dimension, expectedRows: expectedRows)
        }
        if let expectedRows, data.count / rowBytes != expectedRows {
            throw .vectorFileSize(path: path, bytes: data.count, dimension: dimension, expectedRows: expectedRows)
        }
        var values = [Float](repeating: 0, count: data.count / 4)
        values.withUnsafeMutableBytes { out in
            data.withUnsafeBytes { raw in out.copyMemory(from: raw) }
        }
        #if _endian(big)
        values = values.map { Float(bitPattern: UInt32(littleEndian: $0.bitPattern)) }
        #endif
        return VectorMatrix(dimension: dimension, values: values)
    }

    /// Writes the rows as raw little-endian float32.
    public func write(to url: URL) throws {
        var data = Data(capacity: values.count * 4)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        try data.write(to: url, options: .atomic)
    }
}
