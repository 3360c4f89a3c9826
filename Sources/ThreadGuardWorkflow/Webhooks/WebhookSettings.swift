import Foundation
import ThreadGuardYAML

/// `webhooks:` in threadguard.yaml: push delivery from Meta. The app secret and the verify token are named by
/// environment variable, never written in the file.
public struct WebhookSettings: Sendable, Equatable {
    public struct Meta: Sendable, Equatable {
        public var appSecretEnv: String
        public var verifyTokenEnv: String

        public init(appSecretEnv: String, verifyTokenEnv: String) {
            self.appSecretEnv = appSecretEnv
            self.verifyTokenEnv = verifyTokenEnv
        }
    }

    public var meta: Meta?

    public init(meta: Meta? = nil) { self.meta = meta }

    static func read(_ node: YAMLNode) -> WebhookSettings? {
        guard let map = node.mapping(allowing: ["meta"]) else { return nil }
        guard let meta = map["meta"]?.mapping(allowing: ["app_secret_env", "verify_token_env"], required: ["app_secret_env", "verify_token_env"]),
              let secret = meta["app_secret_env"]?.string, let token = meta["verify_token_env"]?.string else { return WebhookSettings() }
        for (key, value) in [("app_secret_env", secret), ("verify_token_env", token)]
            where value.isEmpty || !value.allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }) {
            meta[key]?.issue("'\(value)' is not an environment variable name", hint: "use capitals, digits and _, e.g. THREADGUARD_META_APP_SECRET")
        }
        return WebhookSettings(meta: Meta(appSecretEnv: secret, verifyTokenEnv: token))
    }
}
