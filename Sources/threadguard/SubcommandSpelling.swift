import ArgumentParser
import Foundation
import ThreadGuardYAML

/// "did you mean" for a mistyped subcommand, at any depth (`threadguard pol`, `threadguard queue lst`): the argument
/// parser only says "unexpected argument".
enum SubcommandSpelling {
    /// The message for the first word that is not a subcommand where one is expected, or nil.
    static func problem(_ arguments: [String], root: any ParsableCommand.Type) -> String? {
        var command = root
        var path = [root.configuration.commandName ?? "threadguard"]
        for word in arguments {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, !word.hasPrefix("-") else { return nil }
            let names = subcommands.compactMap { $0.configuration.commandName ?? defaultName($0) }
            guard let index = names.firstIndex(of: word) else {
                if word == "help" { return nil }
                let suggestion = Spelling.closest(to: word, among: names).map { " Did you mean '\($0)'?" } ?? ""
                return "Error: '\(word)' is not a command of '\(path.joined(separator: " "))'.\(suggestion)\n"
                    + "Commands: \(names.sorted().joined(separator: ", ")). See '\(path.joined(separator: " ")) --help'."
            }
            command = subcommands[index]
            path.append(word)
        }
        return nil
    }

    /// The argument parser's own name for a command type without an explicit one (`Show` → `show`).
    static func defaultName(_ type: any ParsableCommand.Type) -> String {
        var name = ""
        for (offset, char) in String(describing: type).enumerated() {
            if char.isUppercase, offset > 0 { name.append("-") }
            name.append(Character(char.lowercased()))
        }
        return name
    }
}
