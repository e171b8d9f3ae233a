import Testing
@Test func signingPlaceholder() {}
