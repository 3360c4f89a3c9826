/// Builds every static word list before any text is tokenized: tokens take their vocabulary numbers when
/// they are made, so a list built later would not see words of text already split. A test checks that every
/// `static let … = WordSet(` / `PhraseSet(` in this module is listed here.
enum LexiconWarmUp {
    static let done: Bool = {
        _ = AgeRecognizer.before.count
        _ = AgeRecognizer.after.count
        _ = AgeRecognizer.units.contains("")
        _ = AgeRecognizer.weakCues.contains("")
        _ = AgeRecognizer.measurements.contains("")
        _ = AgeRecognizer.people.contains("")
        _ = ContextualIDRecognizer.fillers.contains("")
        _ = DateRecognizer.birthCue.count
        _ = DateRecognizer.eventCue.count
        _ = DateRecognizer.weekdays.contains("")
        _ = DateRecognizer.ordinalSuffixes.contains("")
        _ = NameRecognizer.titles.contains("")
        _ = NameRecognizer.relations.contains("")
        _ = NameRecognizer.roles.contains("")
        _ = NameRecognizer.phrases.count
        _ = NameRecognizer.staffCues.contains("")
        _ = NameRecognizer.publicRoles.contains("")
        _ = NameRecognizer.signoffs.count
        _ = NameRecognizer.notNames.contains("")
        _ = PhoneRecognizer.context.count
        _ = PhoneRecognizer.otherIDContext.count
        _ = RegistryNumberRecognizer.professions.contains("")
        _ = RegistryNumberRecognizer.npiContext.count
        _ = SSNRecognizer.context.count
        _ = URLRecognizer.shorteners.contains("")
        _ = URLRecognizer.ownSite.count
        _ = DetectLexicons.shared.facilityHeads.count
        _ = HealthWords.shared.firstPerson.contains("")
        _ = PlaceWords.shared.notPlaces.contains("")
        _ = ScalarFlags.low.count + ScalarFlags.emoji.count
        return true
    }()
}
