/// Insurance member and group numbers, Medicare and Medicaid numbers: with their context words
/// (the Medicare MBI shape is recognised on its own by `MBIRecognizer`).
public enum HealthPlanRecognizer {
    public static func make() -> ContextualIDRecognizer {
        ContextualIDRecognizer(name: "health_plan", type: .healthPlanID, context: [
            "member id", "member number", "member #", "member no", "member", "plan id", "plan number", "policy number",
            "policy #", "subscriber id", "subscriber number", "insurance id", "insurance number", "group number",
            "group no", "group #", "group", "medicare", "medicare number", "medicare card", "medicare id", "medicaid",
            "medicaid number", "medicaid id", "supplement number", "medigap", "afiliado", "número de afiliado",
            "numero de afiliado", "seguro", "póliza", "poliza", "id card", "insurance card",
        ], minDigits: 4, baseScore: 0.88)
    }
}
