/// The brand's own contact details and names: never identifiers of a person.
public struct BrandProfile: Sendable, Equatable {
    public var names: [String]
    /// Phone numbers in any format; compared by their last 10 digits.
    public var phones: [String]
    public var emails: [String]
    /// Domains whose addresses and URLs belong to the brand.
    public var domains: [String]
    /// The brand's medical devices and supplies: someone's own unit is health information about them.
    public var products: [String]
    /// Competitors' names (the competitor category).
    public var competitors: [String]
    /// Competitors' devices: someone's own unit is health information about them, as with the brand's.
    public var competitorProducts: [String]

    public init(names: [String] = [], phones: [String] = [], emails: [String] = [], domains: [String] = [],
                products: [String] = [], competitors: [String] = [], competitorProducts: [String] = []) {
        self.names = names
        self.competitorProducts = competitorProducts
        self.products = products
        self.competitors = competitors
        self.phones = phones
        self.emails = emails
        self.domains = domains
    }

    /// Every word of the given names, lower-cased ("St. Brigid Health" → st., brigid, health).
    static func words(of names: [String]) -> Set<String> {
        Set(names.flatMap { $0.lowercased().split(separator: " ").map(String.init) })
    }
}

/// The brand's phone numbers and addresses, prepared once for telling a finding is the brand's own: it is asked
/// of every email and every long number found.
struct BrandContacts: Sendable {
    /// The last ten digits of each brand phone, as a number.
    private let phones: Set<UInt64>
    private let emails: Set<String>
    /// "@domain" and ".domain" for each brand domain, lower-cased.
    private let domainSuffixes: [String]

    init(_ brand: BrandProfile) {
        phones = Set(brand.phones.compactMap { Self.lastTenDigits($0.unicodeScalars) })
        emails = Set(brand.emails.map { $0.lowercased() })
        domainSuffixes = brand.domains.flatMap { ["@" + $0.lowercased(), "." + $0.lowercased()] }
    }

    /// The last ten digits of a text with at least ten, read as one number (both sides have exactly ten, so
    /// leading zeros cannot collide).
    static func lastTenDigits<Scalars: BidirectionalCollection<Unicode.Scalar>>(_ scalars: Scalars) -> UInt64? {
        var value: UInt64 = 0
        var scale: UInt64 = 1
        var count = 0
        for scalar in scalars.reversed() where CharClass.isDigit(scalar) {
            value += UInt64(scalar.value - 48) * scale
            scale *= 10
            count += 1
            if count == 10 { return value }
        }
        return nil
    }

    func owns(phone scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        guard !phones.isEmpty, let key = Self.lastTenDigits(scalars) else { return false }
        return phones.contains(key)
    }

    func owns(email scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        guard !emails.isEmpty || !domainSuffixes.isEmpty else { return false }
        guard scalars.allSatisfy({ $0.value < 128 }) else {
            let lower = String(String.UnicodeScalarView(scalars)).lowercased()
            return emails.contains(lower) || domainSuffixes.contains { lower.hasSuffix($0) }
        }
        // ASCII (nearly every address): lower-cased byte by byte and compared by bytes.
        let lower = String(unsafeUninitializedCapacity: scalars.count) { buffer in
            var n = 0
            for scalar in scalars {
                buffer[n] = UInt8(CharClass.lowercase(scalar).value)
                n += 1
            }
            return n
        }
        return emails.contains(lower) || domainSuffixes.contains { suffix in
            lower.utf8.count >= suffix.utf8.count && lower.utf8.reversed().starts(with: suffix.utf8.reversed())
        }
    }
}
