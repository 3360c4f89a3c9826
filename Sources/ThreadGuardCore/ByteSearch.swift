/// Substring search over UTF-8 bytes, without Foundation's locale- and normalisation-aware search: exact for
/// literal text, and for ASCII on both sides the same answer Foundation gives.
public enum ByteSearch {
    public static func contains(_ haystack: String, _ needle: String) -> Bool {
        var haystack = haystack
        var needle = needle
        return haystack.withUTF8 { h in
            needle.withUTF8 { n in
                guard let first = n.first, n.count <= h.count else { return n.isEmpty }
                var i = 0
                let last = h.count - n.count
                while i <= last {
                    if h[i] == first {
                        var k = 1
                        while k < n.count, h[i + k] == n[k] { k += 1 }
                        if k == n.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }

    public static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 128 }
    }
}
