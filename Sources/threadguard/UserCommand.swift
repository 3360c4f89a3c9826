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
        commandName: "user", abstract: "People who sign in to the review page.", subcommands: [Add.self, List.self, Remove.self, ResetPassword.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a person: reviewer (works the queue), lead (also assigns), admin (also manages users).",
            discussion: "The password is read from the environment variable --password-env names; else asked for twice on the terminal, without echo; else read from the first line of standard input. At least 12 characters; stored as a bcrypt hash.")

        @Argument(help: "The name they sign in with (letters, digits, . _ -).")
        var name: String

        @Option(help: "What they may do.")
        var role: RoleChoice = .reviewer

        @Option(help: "Name of an environment variable holding the password.")
        var passwordEnv: String?

        @Option(help: "The configuration file (for the database).")
        var config: String = "threadguard.yaml"

        func validate() throws {
            if let problem = UserNames.problem(name) { throw ValidationError("'\(TerminalText.escaped(name))' is not a valid name: \(problem)") }
        }

        func run() async throws {
            let database = try loadConfig(config).openStore()
            let password = try PasswordInput.read(for: name, env: passwordEnv)
            let stored = UserNames.normalised(name)
            do {
                try database.addUser(name: stored, passwordHash: Bcrypt.hash(password, cost: 10), role: role.rawValue,
                                     actor: "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? "unknown"))
            } catch let error as ReviewError {
                throw ValidationError(error.description)
            }
            print("added \(stored) as \(role.rawValue)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the people who can sign in.")

        @Option(help: "The configuration file (for the database).")
        var config: String = "threadguard.yaml"

        func run() async throws {
            let database = try loadConfig(config).openStore()
            for user in try database.users() { print("\(user.name)\t\(user.role)") }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a person: their sessions end at once; what they did stays in the audit log under their name.",
            discussion: "The last admin cannot be removed.")

        @Argument(help: "The user's name.") var name: String
        @Option(help: "The configuration file (for the database).") var config: String = "threadguard.yaml"

        func run() async throws {
            let database = try loadConfig(config).openStore()
            do {
                try database.removeUser(name: name, actor: "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? "unknown"))
            } catch let error as ReviewError {
                throw ValidationError(error.description)
            }
            print("removed \(TerminalText.escaped(name)); their sessions are signed out")
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Give a person a new password and sign out their sessions.",
            discussion: "The password is read as for `user add`: --password-env, else asked twice without echo, else the first line of standard input.")

        @Argument(help: "The user's name.") var name: String
        @Option(help: "Name of an environment variable holding the new password.") var passwordEnv: String?
        @Option(help: "The configuration file (for the database).") var config: String = "threadguard.yaml"

        func run() async throws {
            let database = try loadConfig(config).openStore()
            guard let user = try database.user(named: name) else { throw ValidationError(ReviewError.unknownUser(name).description) }
            let password = try PasswordInput.read(for: user.name, env: passwordEnv)
            try database.resetPassword(name: user.name, passwordHash: Bcrypt.hash(password, cost: 10),
                                       actor: "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? "unknown"))
            print("new password set for \(user.name); their sessions are signed out")
        }
    }
}

enum RoleChoice: String, CaseIterable, ExpressibleByArgument {
    case reviewer, lead, admin
    init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

/// A password from an environment variable, the terminal (twice, without echo) or standard input's first line.
enum PasswordInput {
    static func read(for user: String, env: String?) throws -> String {
        let password: String
        let source: String
        if let env {
            guard let value = ProcessInfo.processInfo.environment[env] else { throw ValidationError("the environment variable \(env) is not set") }
            (password, source) = (value, "$\(env)")
        } else if isatty(STDIN_FILENO) != 0 {
            let first = prompt("Password for \(user): ")
            let again = prompt("Again: ")
            guard first == again else { throw ValidationError("the two passwords differ; nothing was changed") }
            (password, source) = (first, "the prompt")
        } else {
            (password, source) = (readLine(strippingNewline: true) ?? "", "standard input")
        }
        if let problem = PasswordRules.problem(password, user: user) { throw ValidationError("\(problem) (given in \(source))") }
        return password
    }

    /// Reads a line from the terminal with echo off, restoring the terminal's settings whatever happens.
    static func prompt(_ text: String) -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
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
