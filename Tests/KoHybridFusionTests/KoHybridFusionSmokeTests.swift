import Testing
@testable import KoHybridFusion

@Test func moduleLinks() { #expect(Bool(true)) }
