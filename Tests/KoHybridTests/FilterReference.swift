import KoHybrid

/// An independent evaluator of Chroma `where` / `where_document` JSON, written straight from the
/// documented semantics over raw JSON values (it shares no code with `Filter`), so the store's
/// answers can be checked against it.
enum FilterReference {
    static func matches(_ filter: JSONValue, _ metadata: [String: JSONValue]) -> Bool {
        guard case .object(let members) = filter else { return false }
        return members.allSatisfy { key, value in
            switch key {
            case "$and": if case .array(let xs) = value { return xs.allSatisfy { matches($0, metadata) } }; return false
            case "$or": if case .array(let xs) = value { return xs.contains { matches($0, metadata) } }; return false
            default:
                if case .object(let ops) = value, let (op, operand) = ops.first { return condition(op, operand, metadata[key]) }
                return condition("$eq", value, metadata[key])
            }
        }
    }

    static func number(_ v: JSONValue?) -> Double? {
        switch v {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let x = number(a), let y = number(b) { return x == y }
        switch (a, b) {
        case let (.string(x), .string(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        default: return false
        }
    }

    static func condition(_ op: String, _ operand: JSONValue, _ stored: JSONValue?) -> Bool {
        let scalar: JSONValue? = { if case .array = stored { return nil }; return stored }()
        switch op {
        case "$eq": return scalar.map { same($0, operand) } ?? false
        case "$ne": return !condition("$eq", operand, stored)
        case "$gt", "$gte", "$lt", "$lte":
            guard let x = number(scalar), let y = number(operand) else { return false }
            return op == "$gt" ? x > y : op == "$gte" ? x >= y : op == "$lt" ? x < y : x <= y
        case "$in":
            guard let scalar, case .array(let options) = operand else { return false }
            return options.contains { same(scalar, $0) }
        case "$nin": return !condition("$in", operand, stored)
        case "$contains":
            guard case .array(let items)? = stored else { return false }
            return items.contains { same($0, operand) }
        case "$not_contains": return !condition("$contains", operand, stored)
        default: return false
        }
    }

    static func matchesDocument(_ filter: JSONValue, _ document: String?) -> Bool {
        guard case .object(let members) = filter, let (op, operand) = members.first else { return false }
        switch (op, operand) {
        case ("$contains", .string(let text)): return document?.contains(text) ?? false
        case ("$not_contains", .string(let text)): return !(document?.contains(text) ?? false)
        case ("$and", .array(let xs)): return xs.allSatisfy { matchesDocument($0, document) }
        case ("$or", .array(let xs)): return xs.contains { matchesDocument($0, document) }
        default: return false
        }
    }

    /// A random filter over the keys `Fixtures.records` writes, up to `depth` levels of $and/$or.
    static func randomFilter(_ rng: inout SeededRandom, depth: Int = 2) -> JSONValue {
        if depth > 0, rng.chance(0.35) {
            let children = (0..<(1 + rng.below(3))).map { _ in randomFilter(&rng, depth: depth - 1) }
            return .object([rng.chance(0.5) ? "$and" : "$or": .array(children)])
        }
        func price() -> JSONValue { rng.chance(0.5) ? .int(Int64(rng.below(20)) * 10_000) : .double(Double(rng.below(40)) * 5_000 + 0.5) }
        func category() -> JSONValue { .string(Fixtures.categories[rng.below(Fixtures.categories.count)]) }
        switch rng.below(9) {
        case 0: return .object(["price": .object([["$gt", "$gte", "$lt", "$lte"][rng.below(4)]: price()])])
        case 1: return .object(["price": rng.chance(0.5) ? price() : .object([["$eq", "$ne"][rng.below(2)]: price()])])
        case 2: return .object(["category": rng.chance(0.3) ? category() : .object([["$eq", "$ne"][rng.below(2)]: category()])])
        case 3: return .object(["category": .object([["$in", "$nin"][rng.below(2)]: .array((0..<(1 + rng.below(3))).map { _ in category() })])])
        case 4: return .object(["open": .object([["$eq", "$ne"][rng.below(2)]: .bool(rng.chance(0.5))])])
        case 5: return .object(["rating": .object([["$gt", "$lte"][rng.below(2)]: rng.chance(0.5) ? .int(Int64(rng.below(5))) : .double(Double(rng.below(50)) / 10)])])
        case 6: return .object(["tags": .object([["$contains", "$not_contains"][rng.below(2)]: .string(Fixtures.tags[rng.below(Fixtures.tags.count)])])])
        case 7: return .object(["floors": .object([["$contains", "$not_contains"][rng.below(2)]: .int(Int64(rng.below(5)))])])
        default: return .object(["price": .object([["$in", "$nin"][rng.below(2)]: .array((0..<(1 + rng.below(3))).map { _ in price() })])])
        }
    }
}
