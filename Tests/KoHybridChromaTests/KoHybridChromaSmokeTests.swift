import Testing
@testable import KoHybridChroma

@Test func moduleLinks() { #expect(Bool(true)) }
