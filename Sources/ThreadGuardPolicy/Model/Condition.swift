/// A Sigma-style condition over selection names: `a and (b or not c)`, `1 of sel_*`, `all of them`.
public indirect enum Condition: Sendable, Equatable {
    case selection(String)
    case not(Condition)
    case and(Condition, Condition)
    case or(Condition, Condition)
    /// `1 of pattern*` / `all of pattern*` (`them` = every selection).
    case oneOf(String)
    case allOf(String)

    /// Selection names the condition refers to (patterns expanded against `names`).
    public func references(_ names: [String]) -> Set<String> {
        switch self {
        case .selection(let name): return [name]
        case .not(let inner): return inner.references(names)
        case .and(let a, let b), .or(let a, let b): return a.references(names).union(b.references(names))
        case .oneOf(let pattern), .allOf(let pattern): return Set(names.filter { Condition.matches($0, pattern) })
        }
    }

    static func matches(_ name: String, _ pattern: String) -> Bool {
        if pattern == "them" { return true }
        if pattern.hasSuffix("*") { return name.hasPrefix(pattern.dropLast()) }
        return name == pattern
    }

    public func evaluate(_ value: (String) -> Bool, names: [String]) -> Bool {
        switch self {
        case .selection(let name): return value(name)
        case .not(let inner): return !inner.evaluate(value, names: names)
        case .and(let a, let b): return a.evaluate(value, names: names) && b.evaluate(value, names: names)
        case .or(let a, let b): return a.evaluate(value, names: names) || b.evaluate(value, names: names)
        case .oneOf(let pattern): return names.contains { Condition.matches($0, pattern) && value($0) }
        case .allOf(let pattern):
            let matching = names.filter { Condition.matches($0, pattern) }
            return !matching.isEmpty && matching.allSatisfy(value)
        }
    }
}

/// Parses condition text; errors give the character offset and what was expected.
public struct ConditionParser {
    public struct ParseError: Error, Equatable {
        public var offset: Int
        public var message: String
    }

    enum Token: Equatable { case word(String), open, close }

    let tokens: [(Token, Int)]
    let length: Int
    var position = 0

    public init(_ text: String) {
        var tokens: [(Token, Int)] = []
        var current = ""
        var start = 0
        for (offset, c) in text.enumerated() {
            if c == "(" || c == ")" || c == " " {
                if !current.isEmpty { tokens.append((.word(current), start)) }
                current = ""
                if c == "(" { tokens.append((.open, offset)) }
                if c == ")" { tokens.append((.close, offset)) }
            } else {
                if current.isEmpty { start = offset }
                current.append(c)
            }
        }
        if !current.isEmpty { tokens.append((.word(current), start)) }
        self.tokens = tokens
        self.length = text.count
    }

    public static func parse(_ text: String) throws -> Condition {
        var parser = ConditionParser(text)
        guard !parser.tokens.isEmpty else { throw ParseError(offset: 0, message: "the condition is empty") }
        let condition = try parser.parseOr()
        if parser.position < parser.tokens.count {
            throw ParseError(offset: parser.tokens[parser.position].1, message: "unexpected '\(parser.describe(parser.tokens[parser.position].0))'; expected 'and', 'or' or the end")
        }
        return condition
    }

    func describe(_ token: Token) -> String {
        switch token {
        case .word(let w): return w
        case .open: return "("
        case .close: return ")"
        }
    }

    mutating func parseOr() throws -> Condition {
        var left = try parseAnd()
        while position < tokens.count, tokens[position].0 == .word("or") {
            position += 1
            left = .or(left, try parseAnd())
        }
        return left
    }

    mutating func parseAnd() throws -> Condition {
        var left = try parseNot()
        while position < tokens.count, tokens[position].0 == .word("and") {
            position += 1
            left = .and(left, try parseNot())
        }
        return left
    }

    mutating func parseNot() throws -> Condition {
        if position < tokens.count, tokens[position].0 == .word("not") {
            position += 1
            return .not(try parseNot())
        }
        return try parseAtom()
    }

    mutating func parseAtom() throws -> Condition {
        guard position < tokens.count else {
            throw ParseError(offset: length, message: "the condition ends too early; expected a selection name")
        }
        let (token, offset) = tokens[position]
        switch token {
        case .open:
            position += 1
            let inner = try parseOr()
            guard position < tokens.count, tokens[position].0 == .close else {
                throw ParseError(offset: offset, message: "this '(' is never closed")
            }
            position += 1
            return inner
        case .close:
            throw ParseError(offset: offset, message: "unexpected ')'")
        case .word(let word):
            if ["and", "or"].contains(word) { throw ParseError(offset: offset, message: "'\(word)' needs a selection before it") }
            if (word == "1" || word == "all" || word == "any"), position + 2 < tokens.count, tokens[position + 1].0 == .word("of"),
               case .word(let pattern) = tokens[position + 2].0 {
                position += 3
                return word == "all" ? .allOf(pattern) : .oneOf(pattern)
            }
            position += 1
            return .selection(word)
        }
    }
}

/// A condition compiled against a rule's selection names, as a flat array of nodes (children by index), so
/// evaluating it per comment retains nothing; the root is the last node.
struct CompiledCondition: Sendable {
    enum Kind: UInt8, Sendable { case selection, never, not, and, or, any, all }

    struct Node: Sendable {
        var kind: Kind
        /// selection: its index; not/and/or: the first child; any/all: where its indices start in `indices`.
        var a: Int32
        /// and/or: the second child; any/all: how many indices.
        var b: Int32
    }

    private(set) var nodes: [Node] = []
    private(set) var indices: [Int32] = []

    init(_ condition: Condition, names: [String]) {
        _ = add(condition, names: names)
    }

    private mutating func add(_ condition: Condition, names: [String]) -> Int32 {
        let node: Node
        switch condition {
        case .selection(let name):
            node = names.firstIndex(of: name).map { Node(kind: .selection, a: Int32($0), b: 0) } ?? Node(kind: .never, a: 0, b: 0)
        case .not(let inner):
            node = Node(kind: .not, a: add(inner, names: names), b: 0)
        case .and(let x, let y):
            let first = add(x, names: names)
            node = Node(kind: .and, a: first, b: add(y, names: names))
        case .or(let x, let y):
            let first = add(x, names: names)
            node = Node(kind: .or, a: first, b: add(y, names: names))
        case .oneOf(let pattern):
            node = list(.any, names.indices.filter { Condition.matches(names[$0], pattern) })
        case .allOf(let pattern):
            let matching = names.indices.filter { Condition.matches(names[$0], pattern) }
            node = matching.isEmpty ? Node(kind: .never, a: 0, b: 0) : list(.all, matching)
        }
        nodes.append(node)
        return Int32(nodes.count - 1)
    }

    private mutating func list(_ kind: Kind, _ members: [Int]) -> Node {
        let node = Node(kind: kind, a: Int32(indices.count), b: Int32(members.count))
        indices += members.map { Int32($0) }
        return node
    }

    /// Evaluates with `value(selection)` for each selection it needs, left to right, stopping early. The walk
    /// reads the nodes through buffer pointers: recursing on `self` would retain both arrays at every node.
    func evaluate(_ value: (Int) -> Bool) -> Bool {
        guard !nodes.isEmpty else { return false }
        return nodes.withUnsafeBufferPointer { nodes in
            indices.withUnsafeBufferPointer { indices in
                Self.evaluate(nodes.count - 1, nodes, indices, value)
            }
        }
    }

    private static func evaluate(_ n: Int, _ nodes: UnsafeBufferPointer<Node>, _ indices: UnsafeBufferPointer<Int32>,
                                 _ value: (Int) -> Bool) -> Bool {
        let node = nodes[n]
        switch node.kind {
        case .selection: return value(Int(node.a))
        case .never: return false
        case .not: return !evaluate(Int(node.a), nodes, indices, value)
        case .and: return evaluate(Int(node.a), nodes, indices, value) && evaluate(Int(node.b), nodes, indices, value)
        case .or: return evaluate(Int(node.a), nodes, indices, value) || evaluate(Int(node.b), nodes, indices, value)
        case .any:
            for k in Int(node.a)..<Int(node.a + node.b) where value(Int(indices[k])) { return true }
            return false
        case .all:
            for k in Int(node.a)..<Int(node.a + node.b) where !value(Int(indices[k])) { return false }
            return true
        }
    }
}
