/// Driver's and professional licences and certificates: with their context words. (NPI and DEA numbers are
/// recognised on their own by their check digits in `RegistryNumberRecognizer`.)
public enum LicenseRecognizer {
    public static func make() -> ContextualIDRecognizer {
        ContextualIDRecognizer(name: "license", type: .licenseID, context: [
            "license", "licence", "license number", "licence number", "license #", "licencia", "dl", "dl#",
            "driver's license", "drivers license", "driver's licence", "driver license", "certificate",
            "certificate number", "certification", "license no", "permit number", "cert",
        ], minDigits: 4, baseScore: 0.86)
    }
}
