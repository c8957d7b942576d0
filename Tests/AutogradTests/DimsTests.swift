import Testing

@testable import Autograd

// The set of dimensions a reduction names, kept as bits.

@Suite struct DimsTests {
  @Test func insertsOnceAndIteratesInAscendingOrder() {
    var dims = Dims()
    #expect(dims.isEmpty && dims.first == nil)
    #expect(dims.insert(5).inserted)
    #expect(dims.insert(0).inserted)
    #expect(!dims.insert(5).inserted)
    dims.insert(63)
    #expect(Array(dims) == [0, 5, 63])
    #expect(dims.count == 3 && dims.first == 0)
    #expect(dims.contains(63) && !dims.contains(1))
  }

  @Test func buildsFromRangesAndLiterals() {
    #expect(Array(Dims(0..<4)) == [0, 1, 2, 3])
    let literal: Dims = [2, 1, 2]
    #expect(Array(literal) == [1, 2])
    #expect(Dims([1, 2]) == literal)
  }
}
