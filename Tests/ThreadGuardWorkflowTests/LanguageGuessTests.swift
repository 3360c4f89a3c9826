import Testing
import ThreadGuardWorkflow

@Suite("reply language")
struct LanguageGuessTests {
    @Test("Spanish when its common words dominate, else the default", arguments: [
        ("Mi mamá tiene el monitor y no funciona, gracias", "es"), ("¿Está bien tomar esto con la comida?", "es"),
        ("La bomba de mi hijo se apagó por la noche", "es"), ("Esta\u{0301} muy bien, gracias por todo", "es"),
        ("My mom's monitor stopped working and the app is useless", nil), ("el", nil), ("", nil),
        ("I love the RestEasy, muy bien, it is the best for my sleep", nil), ("Gracias!!! 🙏", nil),
        ("EL EQUIPO DE MI MAMA NO FUNCIONA", "es"), ("gracias por la ayuda, the app is great", "es"),
        ("It's the pump: it is loud, it is slow, gracias y adios", nil),
    ] as [(String, String?)])
    func guess(_ text: String, _ expected: String?) {
        #expect(Judge.language(of: text) == expected)
    }
}
