/// A problem with a corpus on disk, always naming the file (and line or id where there is one).
public enum DatasetError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingFile(path: String)
    case unreadableFile(path: String, reason: String)
    case malformedLine(path: String, line: Int, reason: String)
    case duplicateID(path: String, line: Int, id: String)
    case unknownID(path: String, line: Int, id: String, kind: String)
    case vectorFileSize(path: String, bytes: Int, dimension: Int, expectedRows: Int?)
    case vectorRowCount(path: String, rows: Int, expected: Int, of: String)

    public var description: String {
        switch self {
        case let .missingFile(path):
            return "\(path): file not found"
        case let .unreadableFile(path, reason):
            return "\(path): cannot read: \(reason)"
        case let .malformedLine(path, line, reason):
            return "\(path):\(line): \(reason)"
        case let .duplicateID(path, line, id):
            return "\(path):\(line): duplicate id \"\(id)\""
        case let .unknownID(path, line, id, kind):
            return "\(path):\(line): unknown \(kind) id \"\(id)\""
        case let .vectorFileSize(path, bytes, dimension, expectedRows):
            guard dimension > 0 else { return "\(path): dimension \(dimension) is not positive" }
            // Multiplied with overflow checks: the values may come straight from the user.
            let (perRow, o1) = dimension.multipliedReportingOverflow(by: 4)
            let rows = expectedRows.map { r in
                let (total, o2) = r.multipliedReportingOverflow(by: perRow)
                return ", expected \(r) rows" + (o1 || o2 ? "" : " (\(total) bytes)")
            } ?? ""
            return "\(path): \(bytes) bytes is not a whole number of float32 rows of dimension \(dimension)\(rows)"
        case let .vectorRowCount(path, rows, expected, of):
            return "\(path): \(rows) vector rows, but \(of) has \(expected) entries"
        }
    }
}
