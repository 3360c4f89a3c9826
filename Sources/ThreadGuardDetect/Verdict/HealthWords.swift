/// The small word lists the health-context step reads per token. They are stored properties of one shared
/// value rather than statics: every read of a static goes through its lazy initialiser, and these are read
/// for nearly every token. `LexiconWarmUp` builds `shared` before any text is tokenized.
struct HealthWords: Sendable {
    static let shared = HealthWords()

    let firstPerson = WordSet([
        "i", "my", "me", "mine", "myself", "i'm", "im", "i've", "ive", "i'd", "i'll", "mi", "mis", "yo", "tengo",
        "estoy", "meu", "minha", "eu", "je", "mon", "ma", "mes", "ich", "mein", "meine", "mir", "mich", "ako", "ko",
        "tôi", "llevo", "uso", "puedo", "pienso", "quiero", "siento", "necesito",
    ])
    let possessives = WordSet(["my", "our", "mi", "mis", "nuestra", "nuestro", "nuestros", "nuestras", "meu", "minha", "mon", "ma", "mein", "meine", "ko"])
    /// Possessives that make a device the commenter's own ("our" is a company's voice as often as a family's).
    let ownPossessives = WordSet(["my", "mi", "mis", "meu", "minha", "mon", "ma", "mein", "meine", "ko"])
    let thirdPossessives = WordSet(["his", "her", "their", "su", "sus", "seu", "sua", "son", "sa", "sein", "seine", "ihr", "ihre"])
    /// Using, wearing or looking after a device: "I charge the monitor", "se me olvidó cargar el monitor".
    let useVerbs = WordSet(["use", "uses", "using", "used", "on", "with", "have", "has", "had", "got", "get", "wear", "wearing", "wears",
                                   "wore", "started", "since", "con", "uso", "usa", "tiene", "tengo", "charge", "charged", "charging", "cargar",
                                   "cargo", "carga", "clean", "cleaned", "cleaning", "replace", "replaced", "replacing", "plug", "plugged",
                                   "unplug", "unplugged", "set", "setting", "adjust", "adjusted", "bought", "ordered", "paid", "limpiar", "compré"])
    let pets = WordSet(["cat", "cat's", "dog", "dog's", "puppy", "kitten", "pet", "pets", "horse", "vet", "perro", "perrita", "perrito", "gato", "gata", "mascota", "fur", "cats", "dogs", "horses", "puppies", "kittens", "chicken", "chickens", "hen", "hens", "goat", "goats", "cow", "cows", "sheep", "pig", "pigs", "bird", "birds", "parrot", "rabbit", "bunny", "hamster", "guinea", "ferret", "pony", "livestock", "caballo", "gallina", "gallinas", "conejo"])
    /// Care staff: someone's only when possessed ("my doctor", "mom's cardiologist").
    let staff = WordSet([
        "doctor", "doctors", "dr", "physician", "physicians", "specialist", "cardiologist", "oncologist", "neurologist",
        "surgeon", "nurse", "nurses", "pharmacist", "paramedics", "caregiver", "médico", "doctora", "enfermera",
        "enfermero", "cardiólogo",
    ])
    /// Sentences about someone in general ("for someone on warfarin") are not about the commenter.
    let generic = WordSet(["someone", "somebody", "anyone", "anybody", "people", "you", "u", "everyone", "alguien", "patients"])
    /// Possessives written after the noun ("pacemaker ko", "el mío").
    let postPossessives = WordSet(["ko", "mío", "mía", "mine", "tôi"])
    /// Units of time: "3 years on it", "six months with a pacemaker" tell of the writer's own use.
    let durations = WordSet(["day", "days", "week", "weeks", "wks", "month", "months", "year", "years", "yrs", "días", "semanas", "meses", "años", "monaten", "jahren", "semaines", "mois", "ans", "meses", "anos"])
    let thirdPerson = WordSet(["she", "he", "her", "his", "him", "ella", "él", "su", "le", "they", "them", "their", "she's", "he's"])

    // Small word lists read per token, as vocabulary bit sets rather than string comparisons.
    let sentenceEnds = WordSet([".", "!", "?", ";"])
    let abbreviations = WordSet(["st", "dr", "mr", "mrs", "ms", "no", "vs", "jr", "sr"])
    let clauseBreaks = WordSet([",", ";", ":"])
    let mineWords = WordSet(["mine", "mío", "mía"])
    let oneAdjectives = WordSet(["old", "new", "first", "last", "current", "spare"])
    let selfCues = WordSet(["i", "i'm", "im", "i've", "ive", "i'd", "my", "me", "mine", "myself", "mi", "yo", "tengo", "estoy", "eu", "je", "ich", "tôi"])
    let selfMentions = WordSet(["i", "i'm", "im", "i've", "my", "me", "mi", "yo"])
    let selfSubjects = WordSet(["i", "i'm", "im", "i've", "me", "yo"])
    let objectSelf = WordSet(["me", "my", "mi"])
    let ownerStops = WordSet(["for", "of", "to", "and", "about", "on", "the", "a", "an", "your", "this", "that"])
    let ageUnits = WordSet(["year", "yr", "month"])
    let placeBefore = WordSet(["in", "at", "to", "from", "into", "out", "en", "al", "del"])
    let placeRightBefore = WordSet(["in", "at", "to", "from", "en", "al"])
    let usePrepositions = WordSet(["on", "with", "mit", "con", "avec", "com", "using", "en"])
    let counts = WordSet(["a", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "few", "several", "drei", "trois", "seis", "tres", "dos", "un", "una"])

    /// Per vocabulary number, which of the lists the health-context step reads at every token hold the word
    /// (bits of `Role`): one load per token instead of a bit-set test per list.
    private(set) var roles: [UInt8] = []

    enum Role {
        static let firstPerson: UInt8 = 1
        static let pets: UInt8 = 2
        static let thirdPerson: UInt8 = 4
        static let generic: UInt8 = 8
        static let sentenceEnd: UInt8 = 16
        static let clauseBreak: UInt8 = 32
        static let possessive: UInt8 = 64
        static let mine: UInt8 = 128
    }

    init() {
        var roles: [UInt8] = []
        for (set, role) in [(firstPerson, Role.firstPerson), (pets, Role.pets), (thirdPerson, Role.thirdPerson), (generic, Role.generic),
                            (sentenceEnds, Role.sentenceEnd), (clauseBreaks, Role.clauseBreak), (possessives, Role.possessive),
                            (mineWords, Role.mine)] {
            for id in set.ids {
                if Int(id) >= roles.count { roles += [UInt8](repeating: 0, count: Int(id) + 1 - roles.count) }
                roles[Int(id)] |= role
            }
        }
        self.roles = roles
    }

    /// The `Role` bits of a word (none for words no such list holds, or no word).
    @inline(__always) func role(_ id: Int32) -> UInt8 {
        id >= 0 && Int(id) < roles.count ? roles[Int(id)] : 0
    }
}
