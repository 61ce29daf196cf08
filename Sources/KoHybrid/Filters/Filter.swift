/// A metadata filter in Chroma's `where` grammar, parsed into a typed tree.
///
/// ```swift
/// let filter = try Filter(json: #"{"$and": [{"category": "omakase"}, {"price": {"$lte": 150000}}]}"#)
/// // .and([.field("category", .eq(.string("omakase"))), .field("price", .lte(.int(150000)))])
/// ```
///
/// Semantics (matching Chroma 1.x):
/// - Numbers compare numerically across integers and floats: `{"price": {"$gte": 4}}` matches a
///   stored `4.0`, and `{"n": 4}` matches `4.0`. The stored values themselves keep their types.
/// - Strings compare only with strings and booleans only with booleans; `true` never equals `1`.
/// - `$gt $gte $lt $lte` take a number and match only numeric values.
/// - `$eq $ne $in $nin` match scalar values; `$contains` / `$not_contains` match list values
///   holding the operand.
/// - The negative operators (`$ne $nin $not_contains`) are complements: a record without the key
///   matches them, as in Chroma.
/// - A `where` object with several keys is read as their `$and` (Chroma asks for one key; this
///   is a superset, so Chroma filters keep working).
public indirect enum Filter: Sendable, Hashable {
    /// `$and`: every filter matches.
    case and([Filter])
    /// `$or`: at least one filter matches.
    case or([Filter])
    /// A condition on one metadata key.
    case field(String, Condition)

    /// An operator and its operand.
    public enum Condition: Sendable, Hashable {
        case eq(MetadataValue)
        case ne(MetadataValue)
        case gt(MetadataValue)
        case gte(MetadataValue)
        case lt(MetadataValue)
        case lte(MetadataValue)
        case isIn([MetadataValue])
        case notIn([MetadataValue])
        /// A list value holds the operand.
        case contains(MetadataValue)
        /// A list value does not hold the operand (or the key is missing).
        case notContains(MetadataValue)
    }
}

/// A filter on the document text in Chroma's `where_document` grammar.
///
/// ```swift
/// let filter = try DocumentFilter(json: #"{"$contains": "오마카세"}"#)
/// ```
public indirect enum DocumentFilter: Sendable, Hashable {
    case and([DocumentFilter])
    case or([DocumentFilter])
    /// The document contains the text (case-sensitive substring, as in Chroma).
    case contains(String)
    /// The document does not contain the text; a record without a document matches.
    case notContains(String)
    /// Part of the document matches the regular expression (ICU syntax, close to Chroma's).
    case regex(DocumentPattern)
    /// No part of the document matches; a record without a document matches.
    case notRegex(DocumentPattern)
}
