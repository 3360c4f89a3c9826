import ThreadGuardCore
@testable import ThreadGuardDetect

/// The substrings a recognizer found in `text`, in order.
func found(_ recognizer: any Recognizer, in text: String) -> [String] {
    var findings: [Finding] = []
    recognizer.recognize(AnalysedText(text), into: &findings)
    let scalars = Array(text.unicodeScalars)
    return findings.sorted { $0.start < $1.start }.map { String(String.UnicodeScalarView(scalars[$0.start..<$0.end])) }
}

/// Spans of one type the whole classifier reports.
func classified(_ type: FindingType, in text: String, brand: BrandProfile = testBrand) -> [String] {
    let analysis = PHIClassifier(brand: brand).analyse(text)
    let scalars = Array(text.unicodeScalars)
    return analysis.findings.filter { $0.type == type }.map { String(String.UnicodeScalarView(scalars[$0.start..<$0.end])) }
}

/// A made-up brand for tests (not the shipped policy pack's).
let testBrand = BrandProfile(
    names: ["Acme Health", "Acme", "St. Agnes", "St. Agnes Pharmacy"], phones: ["1-800-555-0100"],
    emails: ["care@acme.example"], domains: ["acme.example"], products: ["BreatheRight"], competitors: ["SleepCo"])
