/// The word lists the location recognizer reads per token, as stored properties of one shared value: every
/// read of a static goes through its lazy initialiser. `LexiconWarmUp` builds `shared` before any text is
/// tokenized.
struct PlaceWords: Sendable {
    static let shared = PlaceWords()

    /// Cue words a name may follow before "in": "neighbor Ruth Abernathy in Grandview Heights".
    let namedCues = WordSet(["neighbor", "neighbour", "address"])
    let residenceCues = PhraseSet([
        "lives in", "lives alone in", "live in", "living in", "lived in", "home in", "house in", "moved to", "moving to",
        "resident of", "vive en", "vivo en", "vivimos en", "à", "neighbor", "neighbour", "address", "apartment in",
        "lives at", "stays at", "staying at",
    ])
    static let careCueWords = [
        "nicu", "picu", "icu", "er", "ed", "admitted", "transferred", "stroke", "born", "surgery", "hospital", "stay",
        "discharged", "ward", "residents", "resident", "patients", "patient", "rehab", "intubated", "collapsed",
        "nursing", "hospice", "delivered", "treated", "cirugía", "hospitalizado", "internado", "ingresado",
        "trasladado", "pneumonia", "surgeon", "cath", "bypass", "procedure", "memory", "chest", "pains", "seizure",
    ]
    let careCues = WordSet(Self.careCueWords)
    /// Words that tie a hospital site or department to someone's care anywhere in the comment.
    let strongCare = WordSet(Self.careCueWords.filter { !["er", "ed"].contains($0) } + Self.strongCareWords.filter { !["my", "mi"].contains($0) })
    static let strongCareWords = [
        "my", "mom", "dad", "son", "daughter", "husband", "wife", "mother", "father", "sister", "brother", "grandmother",
        "grandfather", "baby", "twins", "kid", "child", "mi", "hijo", "hija", "papá", "mamá", "esposo", "esposa",
        "lab", "results", "chart", "visit", "appointment", "nurse", "nurses", "doctor", "dr", "pharmacist",
        "prescription", "refill", "dose", "pills", "meds", "medication", "receptionist", "cardiologist", "surgeon",
        "enfermera", "enfermero", "enfermeras", "médico", "doctora", "farmacéutico", "paciente",
    ]
    let placePrepositions = PhraseSet(["at", "in", "out of", "en"])
    let notPlaces = WordSet([
        "i", "the", "my", "our", "a", "an", "this", "that", "he", "she", "we", "they", "it", "his", "her", "home",
        "night", "morning", "march", "may", "june", "april", "august", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", "christmas", "thanksgiving", "er", "icu", "nicu", "picu", "ed", "god",
        "covid", "english", "spanish", "facebook", "instagram", "twitter", "youtube", "reddit", "google", "amazon",
        "medicare", "medicaid", "dr", "nurse", "mom", "dad", "la", "el", "los", "las", "mi", "su", "urgent",
        // States and countries are larger than the places the guide counts; praise words are not names of places.
        "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware", "florida",
        "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky", "louisiana", "maine",
        "maryland", "massachusetts", "michigan", "minnesota", "mississippi", "missouri", "montana", "nebraska",
        "nevada", "ohio", "oklahoma", "oregon", "pennsylvania", "tennessee", "texas", "utah", "vermont", "virginia",
        "washington", "wisconsin", "wyoming", "usa", "america", "canada", "mexico", "méxico", "españa", "puerto",
        "best", "worst", "great", "good", "nice", "amazing", "awesome", "favorite", "favourite", "new", "old",
    ])
    let wardDirections = WordSet(["west", "east", "north", "south"])
    let roomWords = WordSet(["room", "rm", "bed", "habitación", "habitacion", "cuarto", "suite", "bay", "pod"])
    let states = WordSet([
        "al", "ak", "az", "ar", "ca", "co", "ct", "de", "fl", "ga", "hi", "id", "il", "in", "ia", "ks", "ky", "la", "me",
        "md", "ma", "mi", "mn", "ms", "mo", "mt", "ne", "nv", "nh", "nj", "nm", "ny", "nc", "nd", "oh", "ok", "or", "pa",
        "ri", "sc", "sd", "tn", "tx", "ut", "vt", "va", "wa", "wv", "wi", "wy", "ohio", "texas", "florida", "california",
    ])
    let siteStop = WordSet(["the", "an", "a", "to", "local", "nearest", "nearby", "hospital", "emergency", "same", "other", "their", "our", "my", "his", "her", "an", "that", "this", "any", "no", "every"])
}
