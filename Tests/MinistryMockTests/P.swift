import Testing
@Test func mockPlaceholder() {}
