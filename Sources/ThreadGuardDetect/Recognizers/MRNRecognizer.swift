/// Medical record, chart and patient numbers: only with their context words.
public enum MRNRecognizer {
    public static func make() -> ContextualIDRecognizer {
        ContextualIDRecognizer(name: "mrn", type: .mrn, context: [
            "mrn", "mrn#", "medical record", "medical record number", "record number", "records number", "chart",
            "chart number", "chart #", "patient number", "patient id", "patient #", "patient no", "hospital number",
            "hospital id", "expediente", "número de expediente", "historia clínica", "health record number",
            "medical id", "mychart id",
        ], minDigits: 5, baseScore: 0.9)
    }
}
