// Kernels for square matrices that are their own transpose: filling the lower triangle
// from the upper one, forming the upper triangle of G + Gᵀ, and finding whether a triangle
// is all zeros. The first two read a matrix across its rows and down its columns at once,
// so they go in 64 × 64 tiles that stay in cache, a tile row per core.

/// Visits the tiles on and above the diagonal of an n × n matrix, tile rows split over the
/// cores for large n (tile row `r` goes to core `r % cores`, which balances the triangle).
func forEachUpperTile(_ n: Int, _ body: (_ rows: Range<Int>, _ columns: Range<Int>) -> Void) {
  let tile = 64
  let tileRows = (n + tile - 1) / tile
  let chunks = n * n >= Parallel.passThreshold ? Swift.min(Parallel.cores, tileRows) : 1
  Parallel.forEach(chunks) { chunk in
    for r in stride(from: chunk, to: tileRows, by: chunks) {
      let rows = (r * tile)..<Swift.min(n, (r + 1) * tile)
      for c in r..<tileRows {
        body(rows, (c * tile)..<Swift.min(n, (c + 1) * tile))
      }
    }
  }
}

/// Copies the strict upper triangle of the contiguous n × n matrix `c` onto its lower one.
///
/// Each tile is written a destination row at a time (contiguous stores) from a column of
/// the source tile (loads from 64 rows whose cache lines stay in L1 for the next column):
/// writing down columns instead, a float to a cache line, took twice as long.
func mirrorUpperTriangle<T>(_ c: UnsafeMutablePointer<T>, n: Int) {
  forEachUpperTile(n) { rows, columns in
    for j in columns where j > rows.lowerBound {
      let destination = c + j * n
      for i in rows.lowerBound..<Swift.min(rows.upperBound, j) { destination[i] = c[i * n + j] }
    }
  }
}

/// Writes the upper triangle (diagonal included) of `g + gᵀ` for the contiguous n × n
/// matrix `g` into the contiguous `h`; `h`'s strict lower triangle is left as it was. `h`
/// may be `g`: an element above the diagonal is written after the only two reads of it.
///
/// Each row of a tile is written at once (contiguous stores) from a row and a column of `g`.
func symmetricSumUpper<T: FloatElement>(
  _ g: UnsafePointer<T>, into h: UnsafeMutablePointer<T>, n: Int
) {
  forEachUpperTile(n) { rows, columns in
    for i in rows {
      let (source, destination) = (g + i * n, h + i * n)
      for j in Swift.max(i, columns.lowerBound)..<columns.upperBound {
        destination[j] = source[j] + g[j * n + i]
      }
    }
  }
}

/// Which strict triangle of a square matrix holds only zeros, if either.
enum ZeroTriangle {
  /// Every element below the diagonal is ±0.
  case lower
  /// Every element above the diagonal is ±0 (and some below is not).
  case upper
}

/// Whether the strict lower, else the strict upper, triangle of the contiguous n × n matrix
/// `g` is all ±0 (NaN and infinities are not zero), or `nil` when neither is.
///
/// The elements are read as unsigned integers of their width `U` with the sign bit shifted
/// out: an OR over a row vectorizes, where comparing floats one by one with an early exit
/// ran two to three times slower. Rows are split over the cores for large n; a dense matrix
/// answers after its first rows.
func zeroTriangle<T: FloatElement, U: FixedWidthInteger & UnsignedInteger>(
  _ g: UnsafePointer<T>, n: Int, bits: U.Type
) -> ZeroTriangle? {
  precondition(MemoryLayout<T>.size == MemoryLayout<U>.size)
  let words = UnsafeRawPointer(g).assumingMemoryBound(to: U.self)
  func isZero(lower: Bool) -> Bool {
    let chunks = n * n >= Parallel.passThreshold ? Parallel.cores : 1
    let band = 64
    var zero = [Bool](repeating: true, count: chunks)
    zero.withUnsafeMutableBufferPointer { zero in
      Parallel.forEach(chunks) { chunk in
        // Bands of rows dealt out in turn, so that both halves of the triangle are shared.
        for first in stride(from: chunk * band, to: n, by: chunks * band) {
          for i in first..<Swift.min(n, first + band) {
            let row = words + i * n
            let columns = lower ? 0..<i : (i + 1)..<n
            var bits: U = 0
            for j in columns { bits |= row[j] << 1 }
            if bits != 0 {
              zero[chunk] = false
              return
            }
          }
        }
      }
    }
    return !zero.contains(false)
  }
  if isZero(lower: true) { return .lower }
  if isZero(lower: false) { return .upper }
  return nil
}
