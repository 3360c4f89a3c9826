import Foundation
import Testing
import ThreadGuardConnect
import ThreadGuardYAML

/// Broken manifests: each gives its exact file:line:column message (what `threadguard connector check` prints).
@Suite("connector manifest validation")
struct ManifestValidationTests {
    static let cases: [(String, String)] = [
        ("type: connector\nname: t\nplatform: twitter\nbase_url: https://api.example.com\nstreams:\n  - name: posts\n    kind: post\n    request: {path: /posts}\n    records: data[*]\n    item: {id: id}\n",
         "3:11: platform: 'twitter' is not one of facebook, instagram, x, youtube, reddit, mastodon"),
        ("type: connector\nname: t\nplatform: x\nbase_url: https://api.example.com\nstreams:\n  - name: posts\n    kind: post\n    request: {path: /posts}\n    records: data[x]\n    item: {id: id}\n",
         "9:14: streams[0].records: 'data[x]' is not a valid path: '[x]' is neither [*] nor a list index (paths look like data.children[*].data or items[0].id)"),
        ("type: connector\nname: t\nplatform: x\nbase_url: https://api.example.com\nstreams:\n  - name: posts\n    kind: post\n    request: {path: \"/posts/{acount}\"}\n    records: data[*]\n    item: {id: id}\n",
         "8:21: streams[0].request.path: unknown placeholder {acount} (did you mean {account}?)"),
        ("type: connector\nname: t\nplatform: x\nbase_url: https://api.example.com\nstreams:\n  - name: posts\n    kind: post\n    parnet: x\n    request: {path: /posts}\n    records: data[*]\n    item: {id: id}\n",
         "8:5: streams[0].parnet: unknown key 'parnet' (did you mean 'parent'?)"),
        ("type: connector\nname: t\nplatform: x\nbase_url: https://api.example.com\nstreams:\n  - name: posts\n    kind: post\n    parent: comments\n    request: {path: /posts}\n    records: data[*]\n    item: {id: id}\n",
         "6:5: streams[0]: parent stream 'comments' is not defined before this one (list the parent stream first)"),
        ("type: connector\nname: t\nplatform: x\nbase_url: https://api.example.com\nstreams:\n  - name: posts\n    kind: post\n    paginate: {type: cursor, cursor: meta.next}\n    request: {path: /posts}\n    records: data[*]\n    item: {id: id}\n",
         "8:15: streams[0].paginate: cursor paging needs 'cursor' (a path) and 'param' (the query parameter)"),
        ("type: connector\nname: t\nplatform: x\nbase_url: https://api.example.com\nstreams:\n  - name: posts\n    kind: post\n    incremental: {type: resume}\n    request: {path: /posts}\n    records: data[*]\n    item: {id: id}\n",
         "8:18: streams[0].incremental: 'resume' needs cursor paging to resume from (use paginate: {type: cursor, ...})"),
        ("type: connector\nname: t\nplatform: x\nbase_url: https://api.example.com\nstreams:\n  - name: posts\n    kind: post\n    request: {path: /posts}\n    records: data[*]\n    item: {id: id}\n\nactions:\n  hyde: {path: /x}\n",
         "13:3: actions.hyde: unknown key 'hyde' (did you mean 'hide'?)"),
        ("type: connector\nname: t\nplatform: x\nbase_url: https://api.example.com\nstreams:\n  - name: posts\n    kind: post\n    request: {path: /posts}\n    records: data[*]\n    item: {id: id}\n\nactions:\n  hide: {method: PATCH, path: /x}\n",
         "13:18: actions.hide.method: 'PATCH' is not one of GET, POST, PUT, DELETE"),
        ("type: connector\nname: t\nplatform: x\nbase_url: api.example.com\nstreams:\n  - name: posts\n    kind: post\n    request: {path: /posts}\n    records: data[*]\n    item: {id: id}\n",
         "4:11: base_url: 'api.example.com' is not an http(s) URL with a host (for example https://api.twitter.com)"),
        ("type: connector\nname: t\nplatform: x\nbase_url: https://api.example.com\nstreams:\n  - name: posts\n    kind: post\n    request: {path: /posts}\n    records: data[*]\n    item: {id: id, author_name: {lookup: users, key: author_id, path: username}}\n",
         "10:11: streams[0].item: lookup 'users' is not defined in this stream's 'lookups'"),
        ("type: connector\nname: t\nplatform: x\nbase_url: https://api.example.com\nstreams:\n  - name: posts\n    kind: post\n    request: {path: /posts}\n    records: data[*]\n    item: {id: id}\n\nerrors:\n  - {when: {status: 401}, then: relogin}\n",
         "13:33: errors[0].then: 'relogin' is not one of retry, back_off, reauthenticate, give_up"),
        ("type: connector\nname: t\nplatform: x\nauth: {type: oauth_password_grant}\nbase_url: https://api.example.com\nstreams:\n  - name: posts\n    kind: post\n    request: {path: /posts}\n    records: data[*]\n    item: {id: id}\n",
         "4:7: auth: oauth_password_grant needs 'token_url'"),
        ("type: connector\nname: t\nplatform: x\nbase_url: https://api.example.com\nstreams:\n  - name: posts\n    kind: post\n    request: {path: posts}\n    records: data[*]\n    item: {id: id}\n",
         "8:21: streams[0].request.path: a request path starts with '/' (for example /2/users/{account}/tweets)"),
        ("type: connector\nname: t\nplatform: x\nbase_url: https://api.example.com\nstreams:\n  - name: posts\n    kind: post\n    request: {path: /posts}\n    records: data[*]\n    item: {text: body}\n",
         "10:11: streams[0].item: missing required key 'id'"),
        ("type: connector\nname: t\n  platform: x\n",
         "3:11: YAML syntax error: mapping values are not allowed in this context (check the indentation and quoting on this line)"),
    ]

    @Test("each broken manifest is reported at its line and column with a hint", arguments: 0..<16)
    func broken(index: Int) throws {
        let (text, expected) = Self.cases[index]
        let folder = NSTemporaryDirectory() + "tg-manifest-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/m.yaml"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        do {
            _ = try DeclarativeManifest.load(file: file)
            Issue.record("manifest \(index) should not load")
        } catch let error as YAMLIssues {
            let messages = error.issues.map { String($0.description.dropFirst(file.count + 1)) }
            #expect(messages == [expected])
        }
    }

    @Test("every shipped manifest loads")
    func shipped() throws {
        let registry = try ConnectorRegistry(directory: Repo.root + "/Connectors")
        #expect(Set(registry.manifests.keys) == ["facebook", "instagram", "x", "youtube", "reddit", "mastodon"])
    }
}
