import Foundation
import ThreadGuardCore
import ThreadGuardHTTP

extension DeclarativeConnector {
    func actionScope(_ action: PlatformAction) -> Template.Scope {
        var scope = baseScope
        scope.item = action.item
        scope.values["text"] = action.text ?? ""
        return scope
    }

    /// Carries out a moderation action as the manifest describes it; returns the id of what it created.
    public func perform(_ action: PlatformAction) async throws -> String? {
        guard let spec = manifest.actions[action.kind] else {
            throw ConnectorError.unsupported("\(action.kind.rawValue) on \(manifest.platform.rawValue) (the manifest declares no such action)")
        }
        if let days = spec.windowDays, now().timeIntervalSince(action.item.createdAt) > TimeInterval(days * 86_400) {
            throw ConnectorError.unsupported("\(action.kind.rawValue) more than \(days) days after the comment")
        }
        let scope = actionScope(action)
        let url = try buildURL(spec.request, scope: scope, extraQuery: [])
        // Not retried here: the executor records the attempt first and reconciles before any second try.
        let (json, _) = try await exchange(method: spec.request.method, url: url, body: body(spec.request, scope: scope))
        if let success = spec.success, !success.holds(json) {
            throw ConnectorError.temporary(source: source.name, detail: "\(action.kind.rawValue) not confirmed by the platform")
        }
        return spec.resultID.flatMap { $0.first(in: json)?.text }
    }

    /// Whether an action recorded as being sent already took effect (nil when the manifest has no check for it).
    public func alreadyDone(_ action: PlatformAction) async throws -> Bool? {
        guard let spec = manifest.actions[action.kind], let check = spec.check else { return nil }
        // Past the action's window the platform's answer means nothing ("can_reply_privately" turns false either way):
        // not done, and `perform` refuses it for being late.
        if let days = spec.windowDays, now().timeIntervalSince(action.item.createdAt) > TimeInterval(days * 86_400) { return false }
        let scope = actionScope(action)
        let url = try buildURL(check.request, scope: scope, extraQuery: [])
        let (json, _) = try await read(check.request, url: url, scope: scope)
        return check.each.values(in: json).contains { element in
            check.conditions.allSatisfy { condition in
                let expected = Template.fill(condition.equals, scope)
                return condition.path.values(in: element).contains { $0.text == expected }
            }
        }
    }
}
