import Testing
@testable import KoHybridDense

@Test func moduleLinks() { #expect(Bool(true)) }
