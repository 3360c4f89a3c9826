/// Billing, order, claim and case numbers: with their context words.
public enum AccountRecognizer {
    public static func make() -> ContextualIDRecognizer {
        ContextualIDRecognizer(name: "account", type: .accountID, context: [
            "account", "account number", "acct", "order", "order number", "order #", "pedido", "invoice", "invoices",
            "invoice number", "factura", "case", "case number", "case #", "caso", "claim", "claims", "claim number",
            "reclamo", "reference", "reference number", "ref", "confirmation", "confirmation number", "rma", "ticket",
            "ticket number", "support case", "cuenta", "número de cuenta", "tracking number", "billing number",
            "statement number", "transaction", "transaction id",
        ], minDigits: 4, baseScore: 0.82)
    }
}
