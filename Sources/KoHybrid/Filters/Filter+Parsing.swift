extension Filter {
    /// Parses a `where` filter from JSON text.
    public init(json text: String) throws(FilterError) {
        let value: JSONValue
        do { value = try JSONValue(parsing: text) } catch { throw FilterError(path: "where", reason: error.description) }
        try self.init(json: value, path: "where")
    }

    /// Parses a `where` filter from a JSON value; `path` names it in errors.
    public init(json: JSONValue, path: String = "where") throws(FilterError) {
        guard case .object(let members) = json else {
            throw FilterError(path: path, reason: "expected an object, got \(json.typeName)")
        }
        guard !members.isEmpty else { throw FilterError(path: path, reason: "an empty filter matches nothing useful; omit it instead") }
        var parts: [Filter] = []
        for (key, value) in members.sorted(by: { $0.key < $1.key }) {
            let here = "\(path).\(key)"
            switch key {
            case "$and", "$or":
                let children = try Self.list(value, path: here) { (child, childPath) throws(FilterError) in
                    try Filter(json: child, path: childPath)
                }
                parts.append(key == "$and" ? .and(children) : .or(children))
            case _ where key.hasPrefix("$"):
                throw FilterError(path: here, reason: "unknown logical operator (expected $and or $or)")
            default:
                parts.append(.field(key, try Self.condition(value, path: here)))
            }
        }
        self = parts.count == 1 ? parts[0] : .and(parts)
    }

    static func list<T>(_ value: JSONValue, path: String, _ parse: (JSONValue, String) throws(FilterError) -> T) throws(FilterError) -> [T] {
        guard case .array(let items) = value, !items.isEmpty else {
            throw FilterError(path: path, reason: "expected a non-empty list, got \(value.typeName)")
        }
        var out: [T] = []
        for (i, item) in items.enumerated() { out.append(try parse(item, "\(path)[\(i)]")) }
        return out
    }

    /// `value` or `{"$op": operand}` for one key.
    static func condition(_ value: JSONValue, path: String) throws(FilterError) -> Condition {
        guard case .object(let operators) = value else {
            return .eq(try scalar(value, path: path, op: "$eq"))
        }
        guard operators.count == 1, let (op, operand) = operators.first else {
            throw FilterError(path: path, reason: "expected exactly one operator, got \(operators.count)")
        }
        let here = "\(path).\(op)"
        switch op {
        case "$eq": return .eq(try scalar(operand, path: path, op: op))
        case "$ne": return .ne(try scalar(operand, path: path, op: op))
        case "$gt": return .gt(try number(operand, path: path, op: op))
        case "$gte": return .gte(try number(operand, path: path, op: op))
        case "$lt": return .lt(try number(operand, path: path, op: op))
        case "$lte": return .lte(try number(operand, path: path, op: op))
        case "$in", "$nin":
            let values = try list(operand, path: here) { (item, itemPath) throws(FilterError) in
                try scalar(item, path: itemPath, op: op)
            }
            return op == "$in" ? .isIn(values) : .notIn(values)
        case "$contains": return .contains(try scalar(operand, path: path, op: op))
        case "$not_contains": return .notContains(try scalar(operand, path: path, op: op))
        default:
            throw FilterError(path: here, reason: "unknown operator (expected $eq $ne $gt $gte $lt $lte $in $nin $contains $not_contains)")
        }
    }

    static func scalar(_ value: JSONValue, path: String, op: String) throws(FilterError) -> MetadataValue {
        switch value {
        case .string(let s): return .string(s)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .bool(let b): return .bool(b)
        default: throw FilterError(path: path, reason: "\(op) needs a string, number or boolean, got \(value.typeName)")
        }
    }

    static func number(_ value: JSONValue, path: String, op: String) throws(FilterError) -> MetadataValue {
        switch value {
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        default: throw FilterError(path: path, reason: "\(op) needs a number, got \(value.typeName)")
        }
    }

    /// The filter as Chroma JSON (the inverse of parsing).
    public var json: JSONValue {
        switch self {
        case .and(let parts): return .object(["$and": .array(parts.map(\.json))])
        case .or(let parts): return .object(["$or": .array(parts.map(\.json))])
        case .field(let key, let condition):
            let (op, operand): (String, JSONValue) = switch condition {
            case .eq(let v): ("$eq", v.json)
            case .ne(let v): ("$ne", v.json)
            case .gt(let v): ("$gt", v.json)
            case .gte(let v): ("$gte", v.json)
            case .lt(let v): ("$lt", v.json)
            case .lte(let v): ("$lte", v.json)
            case .isIn(let vs): ("$in", .array(vs.map(\.json)))
            case .notIn(let vs): ("$nin", .array(vs.map(\.json)))
            case .contains(let v): ("$contains", v.json)
            case .notContains(let v): ("$not_contains", v.json)
            }
            return .object([key: .object([op: operand])])
        }
    }
}

extension DocumentFilter {
    /// Parses a `where_document` filter from JSON text.
    public init(json text: String) throws(FilterError) {
        let value: JSONValue
        do { value = try JSONValue(parsing: text) } catch { throw FilterError(path: "where_document", reason: error.description) }
        try self.init(json: value, path: "where_document")
    }

    /// Parses a `where_document` filter: `{"$contains": "text"}`, `{"$not_contains": "text"}`,
    /// `{"$regex": "^성수"}`, `{"$not_regex": "..."}`, or `$and` / `$or` lists of these.
    public init(json: JSONValue, path: String = "where_document") throws(FilterError) {
        guard case .object(let members) = json, members.count == 1, let (op, operand) = members.first else {
            throw FilterError(path: path, reason: "expected an object with one operator ($contains, $not_contains, $regex, $not_regex, $and, $or)")
        }
        let here = "\(path).\(op)"
        switch op {
        case "$contains", "$not_contains":
            guard case .string(let text) = operand else {
                throw FilterError(path: here, reason: "\(op) needs a string, got \(operand.typeName)")
            }
            self = op == "$contains" ? .contains(text) : .notContains(text)
        case "$regex", "$not_regex":
            guard case .string(let text) = operand, !text.isEmpty else {
                throw FilterError(path: here, reason: "\(op) needs a non-empty string, got \(operand.typeName)")
            }
            let pattern = try DocumentPattern(text, path: here)
            self = op == "$regex" ? .regex(pattern) : .notRegex(pattern)
        case "$and", "$or":
            let children = try Filter.list(operand, path: here) { (child, childPath) throws(FilterError) in
                try DocumentFilter(json: child, path: childPath)
            }
            self = op == "$and" ? .and(children) : .or(children)
        default:
            throw FilterError(path: here, reason: "unknown operator (expected $contains, $not_contains, $regex, $not_regex, $and or $or)")
        }
    }
}
