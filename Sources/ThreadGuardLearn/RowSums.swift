/// The one fast loop of the learned detectors: adding a row of weights to running sums, eight floats at a time.
/// The tagger, the comment models and the word vectors all spend their time here (measured with `perf`: these
/// three were a third of `classify` before the loop was shared and vectorised; `benchmarks/round_robin.sh`
/// compares builds).
enum RowSums {
    @inline(__always) static func add(_ weights: UnsafeBufferPointer<Float>, row: Int, into sums: UnsafeMutableBufferPointer<Float>) {
        let count = sums.count
        let from = UnsafeRawPointer(weights.baseAddress! + row), to = UnsafeMutableRawPointer(sums.baseAddress!)
        var k = 0
        while k + 8 <= count {
            let sum = to.loadUnaligned(fromByteOffset: 4 * k, as: SIMD8<Float>.self) + from.loadUnaligned(fromByteOffset: 4 * k, as: SIMD8<Float>.self)
            to.storeBytes(of: sum, toByteOffset: 4 * k, as: SIMD8<Float>.self)
            k += 8
        }
        if k + 4 <= count {
            let sum = to.loadUnaligned(fromByteOffset: 4 * k, as: SIMD4<Float>.self) + from.loadUnaligned(fromByteOffset: 4 * k, as: SIMD4<Float>.self)
            to.storeBytes(of: sum, toByteOffset: 4 * k, as: SIMD4<Float>.self)
            k += 4
        }
        while k < count {
            sums[k] += weights[row + k]
            k += 1
        }
    }
}
