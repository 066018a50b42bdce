/// An optional field that is written as `null` rather than left out when it has no value.
///
/// Synthesised `Encodable` skips a nil optional, but the OpenAPI document lists some nullable
/// fields as required (an erased customer's order still has `customerId`, as `null`): clients
/// and the schema check rely on the key being there.
@propertyWrapper
struct NullWhenAbsent<Value: Encodable & Sendable>: Encodable, Sendable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue {
            try container.encode(wrappedValue)
        } else {
            try container.encodeNil()
        }
    }
}
