/// Licence plates: with their context words. (VINs are recognised by their check digit in `VINRecognizer`.)
public enum PlateRecognizer {
    public static func make() -> ContextualIDRecognizer {
        ContextualIDRecognizer(name: "plate", type: .vehicleID, context: [
            "plate", "plates", "license plate", "licence plate", "plate number", "tag", "tags", "placa", "placas",
            "matrícula", "matricula",
        ], minDigits: 2, baseScore: 0.88, looseWords: 1, needsLetters: true)
    }
}
