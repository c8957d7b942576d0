// Kernels for square matrices that are their own transpose: filling the lower triangle
// from the upper one, and forming G + Gᵀ. Both read a matrix across its rows and down its
// columns at once, so they go in 64 × 64 tiles that stay in cache, a tile row per core.

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
func mirrorUpperTriangle<T>(_ c: UnsafeMutablePointer<T>, n: Int) {
  forEachUpperTile(n) { rows, columns in
    for i in rows {
      for j in columns where j > i { c[j * n + i] = c[i * n + j] }
    }
  }
}

/// Writes `g + gᵀ` for the contiguous n × n matrix `g` into the contiguous `h`.
func symmetricSum<T: FloatElement>(
  _ g: UnsafePointer<T>, into h: UnsafeMutablePointer<T>, n: Int
) {
  forEachUpperTile(n) { rows, columns in
    for i in rows {
      for j in columns where j >= i {
        let s = g[i * n + j] + g[j * n + i]
        h[i * n + j] = s
        h[j * n + i] = s
      }
    }
  }
}
