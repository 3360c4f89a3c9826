/// Other unique numbers tied to a person: prescriptions, applications, user names, badges.
public enum OtherIDRecognizer {
    public static func make() -> ContextualIDRecognizer {
        ContextualIDRecognizer(name: "other_id", type: .otherID, context: [
            "rx", "rx number", "rx #", "prescription number", "prescription #", "receta", "application",
            "application #", "application number", "user", "username", "user id", "user name", "employee id",
            "employee number", "badge", "badge number", "volunteer id", "id", "id number", "identification number",
            "student id", "login",
        ], minDigits: 2, baseScore: 0.72, looseWords: 1, minLength: 5)
    }
}
