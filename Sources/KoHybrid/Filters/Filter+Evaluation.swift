extension Filter {
    /// Whether a record's metadata satisfies the filter (see `Filter` for the semantics).
    public func matches(_ metadata: Metadata) -> Bool {
        switch self {
        case .and(let parts): return parts.allSatisfy { $0.matches(metadata) }
        case .or(let parts): return parts.contains { $0.matches(metadata) }
        case .field(let key, let condition): return condition.matches(metadata[key])
        }
    }
}

extension Filter.Condition {
    /// Whether a value (nil when the key is missing) satisfies the condition.
    public func matches(_ value: MetadataValue?) -> Bool {
        switch self {
        case .eq(let operand): return value.map { $0.isScalar && $0.equals(operand) } ?? false
        case .ne(let operand): return !Self.eq(operand).matches(value)
        case .gt(let operand): return value?.compare(operand).map { $0 > 0 } ?? false
        case .gte(let operand): return value?.compare(operand).map { $0 >= 0 } ?? false
        case .lt(let operand): return value?.compare(operand).map { $0 < 0 } ?? false
        case .lte(let operand): return value?.compare(operand).map { $0 <= 0 } ?? false
        case .isIn(let operands): return value.map { v in v.isScalar && operands.contains { v.equals($0) } } ?? false
        case .notIn(let operands): return !Self.isIn(operands).matches(value)
        case .contains(let operand): return value.map { v in !v.isScalar && v.elements.contains { $0.equals(operand) } } ?? false
        case .notContains(let operand): return !Self.contains(operand).matches(value)
        }
    }
}

extension DocumentFilter {
    /// Whether a document satisfies the filter; a missing document contains nothing. Throws
    /// only when a `$regex` gives up on a document (see `DocumentPattern.stepLimit`).
    public func matches(_ document: String?) throws(FilterError) -> Bool {
        switch self {
        case .and(let parts):
            for part in parts where !(try part.matches(document)) { return false }
            return true
        case .or(let parts):
            for part in parts where try part.matches(document) { return true }
            return false
        case .contains(let text): return document?.contains(text) ?? false
        case .notContains(let text): return !(document?.contains(text) ?? false)
        case .regex(let pattern): return try document.map { text throws(FilterError) in try pattern.matches(text) } ?? false
        case .notRegex(let pattern): return !(try document.map { text throws(FilterError) in try pattern.matches(text) } ?? false)
        }
    }
}

extension MetadataValue {
    /// Scalar equality with numbers compared numerically (`4 == 4.0`), strings and booleans only
    /// with their own type.
    func equals(_ other: MetadataValue) -> Bool {
        switch (self, other) {
        case let (.string(a), .string(b)): return a == b
        case let (.bool(a), .bool(b)): return a == b
        default: return compare(other) == 0
        }
    }

    /// Numeric order of two scalar numbers (-1, 0, 1), or nil when either is not a number.
    /// Integer against float is exact, not a lossy conversion of the integer.
    func compare(_ other: MetadataValue) -> Int? {
        switch (self, other) {
        case let (.int(a), .int(b)): return a < b ? -1 : (a > b ? 1 : 0)
        case let (.double(a), .double(b)): return a < b ? -1 : (a > b ? 1 : (a == b ? 0 : nil))
        case let (.int(a), .double(b)): return Self.compare(a, b)
        case let (.double(a), .int(b)): return Self.compare(b, a).map { -$0 }
        default: return nil
        }
    }

    /// Exact comparison of an integer with a double.
    static func compare(_ i: Int64, _ d: Double) -> Int? {
        guard !d.isNaN else { return nil }
        if d >= 9_223_372_036_854_775_808.0 { return -1 }   // 2^63: above every Int64
        if d < -9_223_372_036_854_775_808.0 { return 1 }
        let whole = d.rounded(.down)
        let w = Int64(whole)
        if i != w { return i < w ? -1 : 1 }
        return d > whole ? -1 : 0
    }
}
