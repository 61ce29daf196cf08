import KoHybridDatasets

/// Why an evaluation could not run, naming the file, line or mode involved.
public enum EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The corpus on disk is missing a file or has a bad line (the dataset error names which).
    case dataset(DatasetError)
    case missingFile(path: String)
    case malformedLine(path: String, line: Int, reason: String)
    case cannotWrite(path: String, reason: String)
    case noJudgedQueries(corpus: String)
    case unknownMode(String, known: [String])
    case invalidSweep(String, known: [String])
    case invalidInput(String)

    public var description: String {
        switch self {
        case let .dataset(error): error.description
        case let .missingFile(path): "\(path): file not found"
        case let .malformedLine(path, line, reason): "\(path):\(line): \(reason)"
        case let .cannotWrite(path, reason): "\(path): cannot write: \(reason)"
        case let .noJudgedQueries(corpus): "\(corpus): no query has a relevant document in the qrels"
        case let .unknownMode(mode, known): "unknown mode \"\(mode)\" (known: \(known.joined(separator: ", ")))"
        case let .invalidSweep(name, known): "unknown sweep \"\(name)\" (known: \(known.joined(separator: ", ")))"
        case let .invalidInput(reason): reason
        }
    }
}
