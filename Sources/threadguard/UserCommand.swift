import ArgumentParser
import Foundation
import HummingbirdBcrypt
import ThreadGuardCore
import ThreadGuardStore
import ThreadGuardWeb
import ThreadGuardWorkflow
import ThreadGuardYAML

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "People who sign in to the review page.", subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a person: reviewer (works the queue), lead (also assigns), admin (also manages users).",
            discussion: "The password is read from the environment variable --password-env names, or else from the first line of standard input (at least 12 characters). It is stored as a bcrypt hash.")

        @Argument(help: "The name they sign in with (letters, digits, . _ -).")
        var name: String

        @Option(help: "reviewer, lead or admin.")
        var role: String = "reviewer"

        @Option(help: "Name of an environment variable holding the password.")
        var passwordEnv: String?

        @Option(help: "The configuration file (for the database).")
        var config: String = "threadguard.yaml"

        func validate() throws {
            if let problem = UserNames.problem(name) { throw ValidationError("'\(TerminalText.escaped(name))' is not a valid name: \(problem)") }
            guard ReviewApp.roles.contains(role) else { throw ValidationError("--role must be one of \(ReviewApp.roles.joined(separator: ", "))") }
        }

        func run() async throws {
            let database = try loadConfig(config).openDatabase()
            let password = passwordEnv.flatMap { ProcessInfo.processInfo.environment[$0] } ?? readLine(strippingNewline: true) ?? ""
            if let problem = PasswordRules.problem(password, user: name) {
                throw ValidationError("\(problem) (give it in \(passwordEnv.map { "$\($0)" } ?? "standard input"))")
            }
            let stored = UserNames.normalised(name)
            do {
                try database.addUser(name: stored, passwordHash: Bcrypt.hash(password, cost: 10), role: role,
                                     actor: "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? "unknown"))
            } catch let error as ReviewError {
                throw ValidationError(error.description)
            }
            print("added \(stored) as \(role)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the people who can sign in.")

        @Option(help: "The configuration file (for the database).")
        var config: String = "threadguard.yaml"

        func run() async throws {
            let database = try loadConfig(config).openDatabase()
            for user in try database.users() { print("\(user.name)\t\(user.role)") }
        }
    }
}

/// The configuration, or exit 78 with every problem listed.
func loadConfig(_ file: String) throws -> AppConfig {
    do {
        return try AppConfig.load(file: file)
    } catch let error as YAMLIssues {
        FileHandle.standardError.write(Data("threadguard: invalid configuration:\n\(error)\n".utf8))
        throw ExitCode(ExitCodes.configError)
    }
}
