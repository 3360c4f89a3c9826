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

    var phoneKeys: Set<String> { Set(phones.map(Self.phoneKey)) }

    /// Every word of the given names, lower-cased ("St. Brigid Health" → st., brigid, health).
    static func words(of names: [String]) -> Set<String> {
        Set(names.flatMap { $0.lowercased().split(separator: " ").map(String.init) })
    }

    static func phoneKey(_ text: String) -> String {
        String(String(text.unicodeScalars.filter { CharClass.isDigit($0) }).suffix(10))
    }

    func owns(email: String) -> Bool {
        let lower = email.lowercased()
        return emails.contains { $0.lowercased() == lower }
            || domains.contains { lower.hasSuffix("@" + $0.lowercased()) || lower.hasSuffix("." + $0.lowercased()) }
    }
}
