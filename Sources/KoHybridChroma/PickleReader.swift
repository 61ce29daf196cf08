/// A value produced by `PickleReader`: only the shapes `index_metadata.pickle` uses.
enum PickleValue: Equatable {
    case none
    case bool(Bool)
    case int(Int64)
    case string(String)
    case dict([PickleValue: PickleValue])
    case tuple([PickleValue])
    /// A class reference from `STACK_GLOBAL`.
    case global(module: String, name: String)
    /// An instance made by `NEWOBJ` and filled by `BUILD` (Python writers' `PersistentData`).
    indirect case object(module: String, name: String, state: PickleValue?)
}

extension PickleValue: Hashable {}

/// A strict, minimal pickle virtual machine for Chroma's `index_metadata.pickle` (the label ↔ id
/// maps of an HNSW segment). It accepts exactly the opcodes the Python writer (chromadb 0.4–0.6,
/// protocol 5) and the Rust writer (chromadb 1.x, serde_pickle, protocol 3) emit, plus a few
/// harmless neighbours (`BININT`, `LONG1`, `BINUNICODE8`, `NEWTRUE`/`NEWFALSE`, `BINPUT`), and
/// refuses everything else with the opcode and its offset. It never imports or calls anything:
/// a `GLOBAL` is only recorded as a name.
struct PickleReader {
    private let bytes: [UInt8]
    private let path: String
    private var position = 0
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]

    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    /// Runs the opcode stream to `STOP` and returns the top of the stack.
    static func load(_ bytes: [UInt8], path: String) throws(ChromaError) -> PickleValue {
        var reader = PickleReader(bytes: bytes, path: path)
        return try reader.run()
    }

    private func failure(_ reason: String, at offset: Int) -> ChromaError {
        .corruptData(path: path, reason: "pickle: \(reason) at byte \(offset)")
    }

    private mutating func read(_ count: Int) throws(ChromaError) -> ArraySlice<UInt8> {
        guard count >= 0, position + count <= bytes.count else {
            throw failure("needs \(count) more bytes but the file ends", at: position)
        }
        defer { position += count }
        return bytes[position..<position + count]
    }

    private mutating func readUInt(_ count: Int) throws(ChromaError) -> UInt64 {
        var value: UInt64 = 0
        for (shift, byte) in try read(count).enumerated() { value |= UInt64(byte) << (8 * UInt64(shift)) }
        return value
    }

    private mutating func readString(_ count: UInt64) throws(ChromaError) -> PickleValue {
        let start = position
        guard count <= UInt64(bytes.count) else { throw failure("string length \(count) exceeds the file", at: start) }
        guard let text = String(validating: try read(Int(count)), as: UTF8.self) else {
            throw failure("string is not valid UTF-8", at: start)
        }
        return .string(text)
    }

    private mutating func pop(_ opcodeOffset: Int) throws(ChromaError) -> PickleValue {
        guard let value = stack.popLast(), marks.last.map({ stack.count >= $0 }) ?? true else {
            throw failure("stack underflow", at: opcodeOffset)
        }
        return value
    }

    private mutating func popToMark(_ opcodeOffset: Int) throws(ChromaError) -> [PickleValue] {
        guard let mark = marks.popLast() else { throw failure("no MARK before this opcode", at: opcodeOffset) }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private mutating func memoGet(_ index: Int, _ opcodeOffset: Int) throws(ChromaError) -> PickleValue {
        guard let value = memo[index] else { throw failure("memo entry \(index) was never stored", at: opcodeOffset) }
        // Containers are values here, so a reference to one would see a stale copy; Chroma's
        // writers only ever refer back to strings.
        switch value {
        case .dict, .object: throw .unsupportedData(path: path, reason: "pickle refers back to a container at byte \(opcodeOffset)")
        default: return value
        }
    }

    private mutating func run() throws(ChromaError) -> PickleValue {
        while true {
            let offset = position
            let opcode = try read(1).first ?? 0
            switch opcode {
            case 0x80: _ = try read(1)                                // PROTO
            case 0x95: _ = try read(8)                                // FRAME (length is advisory)
            case 0x2E:                                                // STOP
                guard marks.isEmpty, stack.count == 1, let result = stack.last else {
                    throw failure("STOP with \(stack.count) values on the stack", at: offset)
                }
                return result
            case 0x28: marks.append(stack.count)                      // MARK
            case 0x7D: stack.append(.dict([:]))                       // EMPTY_DICT
            case 0x29: stack.append(.tuple([]))                       // EMPTY_TUPLE
            case 0x4E: stack.append(.none)                            // NONE
            case 0x88: stack.append(.bool(true))                      // NEWTRUE
            case 0x89: stack.append(.bool(false))                     // NEWFALSE
            case 0x4B: stack.append(.int(Int64(try readUInt(1))))     // BININT1
            case 0x4D: stack.append(.int(Int64(try readUInt(2))))     // BININT2
            case 0x4A: stack.append(.int(Int64(Int32(truncatingIfNeeded: try readUInt(4)))))  // BININT
            case 0x8A:                                                // LONG1: little-endian two's complement
                let count = Int(try readUInt(1))
                guard count <= 8 else { throw failure("integer of \(count) bytes does not fit in 64 bits", at: offset) }
                let raw = try read(count)
                var value: UInt64 = 0
                for (shift, byte) in raw.enumerated() { value |= UInt64(byte) << (8 * UInt64(shift)) }
                if count < 8, let last = raw.last, last & 0x80 != 0 { value |= ~0 << (8 * UInt64(count)) }
                stack.append(.int(Int64(bitPattern: value)))
            case 0x8C: stack.append(try readString(try readUInt(1)))  // SHORT_BINUNICODE
            case 0x58: stack.append(try readString(try readUInt(4)))  // BINUNICODE
            case 0x8D: stack.append(try readString(try readUInt(8)))  // BINUNICODE8
            case 0x94:                                                // MEMOIZE
                guard let top = stack.last else { throw failure("MEMOIZE on an empty stack", at: offset) }
                memo[memo.count] = top
            case 0x71, 0x72:                                          // BINPUT, LONG_BINPUT
                let index = Int(try readUInt(opcode == 0x71 ? 1 : 4))
                guard let top = stack.last else { throw failure("PUT on an empty stack", at: offset) }
                memo[index] = top
            case 0x68: stack.append(try memoGet(Int(try readUInt(1)), offset))  // BINGET
            case 0x6A: stack.append(try memoGet(Int(try readUInt(4)), offset))  // LONG_BINGET
            case 0x93:                                                // STACK_GLOBAL
                let name = try pop(offset), module = try pop(offset)
                guard case let .string(m) = module, case let .string(n) = name else {
                    throw failure("STACK_GLOBAL needs two strings", at: offset)
                }
                stack.append(.global(module: m, name: n))
            case 0x81:                                                // NEWOBJ cls args
                let arguments = try pop(offset), cls = try pop(offset)
                guard case let .global(module, name) = cls, arguments == .tuple([]) else {
                    throw failure("NEWOBJ with arguments or without a class", at: offset)
                }
                stack.append(.object(module: module, name: name, state: nil))
            case 0x62:                                                // BUILD obj state
                let state = try pop(offset)
                guard case let .object(module, name, nil)? = stack.popLast() else {
                    throw failure("BUILD without a fresh object", at: offset)
                }
                stack.append(.object(module: module, name: name, state: state))
            case 0x75:                                                // SETITEMS
                let items = try popToMark(offset)
                guard items.count.isMultiple(of: 2), case var .dict(members)? = stack.popLast() else {
                    throw failure("SETITEMS without a dict or with an odd item count", at: offset)
                }
                for pair in stride(from: 0, to: items.count, by: 2) { members[items[pair]] = items[pair + 1] }
                stack.append(.dict(members))
            case 0x73:                                                // SETITEM
                let value = try pop(offset), key = try pop(offset)
                guard case var .dict(members)? = stack.popLast() else { throw failure("SETITEM without a dict", at: offset) }
                members[key] = value
                stack.append(.dict(members))
            default:
                throw .unsupportedData(path: path, reason: "pickle opcode 0x\(String(opcode, radix: 16)) at byte \(offset) is not one Chroma writes")
            }
        }
    }
}
