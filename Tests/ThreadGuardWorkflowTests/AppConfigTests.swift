import Foundation
import Testing
import ThreadGuardYAML
@testable import ThreadGuardWorkflow

@Suite("threadguard.yaml")
struct AppConfigTests {
    func write(_ text: String) throws -> String {
        let path = try scratchFolder("config") + "/threadguard.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("a valid file loads, relative paths taken from its folder")
    func valid() throws {
        let path = try write("""
            database: data/tg.sqlite
            policies: /etc/tg/Policies
            sources:
              - name: fb-main
                connector: facebook
                account: "1234"
                base_url: http://127.0.0.1:8080
                token_env: TG_FB_TOKEN
            """)
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        let config = try AppConfig.load(file: path)
        #expect(config.database == folder + "/data/tg.sqlite")
        #expect(config.policies == "/etc/tg/Policies")
        #expect(config.connectors == folder + "/Connectors")
        #expect(config.sources.map(\.name) == ["fb-main"])
        #expect(config.sources[0].tokenEnv == "TG_FB_TOKEN")
        #expect(config.sources[0].baseURL == "http://127.0.0.1:8080")
    }

    @Test("alerts and failure_window: read when valid; each mistake named with its line and what to write instead")
    func alerts() throws {
        let good = try write("""
            database: tg.sqlite
            failure_window: 45m
            alerts:
              link: https://review.example.org/
              webhook: {url_env: HOOK, format: teams}
              email: {smtp: "smtps://mail.example.org:465", from: tg@example.org, to: [a@example.org, b@example.org], password_env: SMTP_PW}
            sources: []
            """)
        let config = try AppConfig.load(file: good)
        #expect(config.failureWindow == 45 * 60)
        #expect(config.alerts.link == "https://review.example.org")
        #expect(config.alerts.webhook == AlertSettings.WebhookChannel(urlEnv: "HOOK", format: .teams))
        #expect(config.alerts.email?.to == ["a@example.org", "b@example.org"] && config.alerts.email?.passwordEnv == "SMTP_PW")
        #expect(config.alerts.channels == ["webhook", "email"])
        #expect(config.alerts.webhook?.resolvedURL(environment: ["HOOK": "https://hooks.example/x"]) == "https://hooks.example/x")

        let bad = try write("""
            database: tg.sqlite
            failure_window: soon
            alerts:
              link: review page
              webhook: {format: slak}
              email: {smtp: "mail.example.org", from: nobody, to: [ok@example.org]}
            sources: []
            """)
        #expect {
            try AppConfig.load(file: bad)
        } throws: { error in
            let text = "\(error)"
            return text.contains("failure_window: 'soon' is not a duration (a number and a unit: 30d, 12h, 45m or 90s)")
                && text.contains("alerts.link: 'review page' is not an http(s) address")
                && text.contains("alerts.webhook: a webhook needs 'url' or 'url_env'")
                && text.contains("'slak' is not one of slack, teams, json (did you mean 'slack'?)")
                && text.contains("'mail.example.org' is not an smtp:// or smtps:// address with a host")
                && text.contains("'nobody' is not an e-mail address")
        }
    }

    @Test("every problem is reported at once with file, line, column and key")
    func errors() throws {
        let path = try write("""
            database: tg.sqlite
            sourcse: []
            sources:
              - name: fb
                connector: facebook
                account: "1"
                token: EAAB-secret
                token_env: TG_FB_TOKEN
              - name: fb
                connector: facebook
                account: 2
                token_env: lower-case
              - name: x
                connecter: x
            """)
        let error = try #require(throws: YAMLIssues.self) { try AppConfig.load(file: path) }
        let lines = error.issues.map(\.description)
        #expect(lines.contains("\(path):2:1: sourcse: unknown key 'sourcse' (did you mean 'sources'?)"))
        #expect(lines.contains("\(path):7:5: sources[0].token: tokens are never written in the configuration (put the token in an environment variable and name it with 'token_env')"))
        #expect(lines.contains("\(path):12:16: sources[1].token_env: 'lower-case' is not an environment variable name (use capitals, digits and _, e.g. THREADGUARD_FACEBOOK_TOKEN)"))
        #expect(lines.contains("\(path):9:5: sources[1]: a second source is named 'fb' (source names must be unique)"))
        #expect(lines.contains("\(path):14:5: sources[2].connecter: unknown key 'connecter' (did you mean 'connector'?)"))
        #expect(lines.contains("\(path):13:5: sources[2]: missing required key 'connector'"))
        // The token itself is never echoed back.
        #expect(!error.description.contains("EAAB-secret"))
    }

    @Test("a syntax error gives its line and column")
    func syntax() throws {
        let path = try write("database: tg.sqlite\nsources:\n  - name: [unclosed\n")
        let error = try #require(throws: YAMLIssues.self) { try AppConfig.load(file: path) }
        #expect(error.issues.count == 1)
        #expect(error.issues[0].line == 4 || error.issues[0].line == 3)
        #expect(error.issues[0].message.hasPrefix("YAML syntax error"))
    }

    @Test("a missing file says how to create one")
    func missing() {
        let error = #expect(throws: YAMLIssues.self) { try AppConfig.load(file: "/nonexistent/threadguard.yaml") }
        #expect(error?.description == "/nonexistent/threadguard.yaml:1:1: no such configuration file (create it (see README.md, Configuration) or pass --config PATH)")
    }
}
