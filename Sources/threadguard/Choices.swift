import ArgumentParser
import Logging
import ThreadGuardCore

// Options that take one of a fixed list: a value outside it is an error that lists the choices (exit 64), not an
// empty answer. Values are matched without regard to case.

extension Platform: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

enum QueueStatusChoice: String, CaseIterable, ExpressibleByArgument {
    case open, escalated, resolved, dismissed, all
    init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

enum QueueCategoryChoice: String, CaseIterable, ExpressibleByArgument {
    case phi, adverse_event, medical_advice, complaint, distress, off_label, misinformation, competitor, spam, abuse, other
    init?(argument: String) { self.init(rawValue: argument.lowercased().replacingOccurrences(of: "-", with: "_")) }
}

enum IntakeStatusChoice: String, CaseIterable, ExpressibleByArgument {
    case open, reported, closed
    init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

enum ExportFormatChoice: String, CaseIterable, ExpressibleByArgument {
    case csv, json
    init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

extension Logger.Level: @retroactive ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
