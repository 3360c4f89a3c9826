/// The keyboard shortcuts of each page, in one list: the `?` overlay is drawn from it, and the page's script reads
/// the overlay to know which key presses which button (`data-key`), so the two cannot disagree.
enum Shortcuts {
    struct Key {
        /// The key as `KeyboardEvent.key` names it.
        var key: String
        /// The `data-key` of the button or field it works (or a movement the script knows: next, previous, open…).
        var action: String
        var label: String
    }

    static let queue: [Key] = [
        Key(key: "j", action: "next-row", label: "next row"),
        Key(key: "k", action: "previous-row", label: "previous row"),
        Key(key: "o", action: "open-row", label: "open the row (Enter too)"),
        Key(key: "x", action: "pick-row", label: "select or unselect the row"),
        Key(key: "d", action: "dismiss", label: "dismiss the selected rows (or this row)"),
        Key(key: "a", action: "approve", label: "approve their drafted replies"),
        Key(key: "h", action: "hide", label: "hide them on the platform"),
        Key(key: "e", action: "escalate", label: "escalate them for a call"),
        Key(key: "t", action: "take", label: "assign them to me"),
        Key(key: "s", action: "assign", label: "choose whom to assign them to"),
        Key(key: "/", action: "search", label: "search"),
        Key(key: "?", action: "help", label: "show or hide these shortcuts"),
    ]

    static let item: [Key] = [
        Key(key: "a", action: "approve", label: "approve and send the reply"),
        Key(key: "h", action: "hide", label: "hide on the platform"),
        Key(key: "u", action: "unhide", label: "unhide"),
        Key(key: "d", action: "dismiss", label: "dismiss (no action needed)"),
        Key(key: "e", action: "escalate", label: "escalate for a call"),
        Key(key: "m", action: "ae_reported", label: "mark the adverse event reported"),
        Key(key: "o", action: "reopen", label: "reopen"),
        Key(key: "t", action: "take", label: "assign to me"),
        Key(key: "s", action: "assign", label: "choose whom to assign to"),
        Key(key: "r", action: "reveal", label: "reveal the next masked identifier (recorded)"),
        Key(key: "z", action: "undo", label: "undo my last action (where it can work)"),
        Key(key: "n", action: "next-item", label: "next item in the queue"),
        Key(key: "g", action: "queue", label: "back to the queue"),
        Key(key: "?", action: "help", label: "show or hide these shortcuts"),
    ]

    /// The overlay: hidden until `?` (or its button) shows it.
    static func overlay(_ keys: [Key], into html: inout HTML) {
        html.element("div", [("id", "shortcuts"), ("class", "shortcuts"), ("role", "dialog"), ("aria-label", "Keyboard shortcuts"), ("hidden", "")]) { div in
            div.element("h2", text: "Keyboard shortcuts")
            div.element("dl") { dl in
                for key in keys {
                    dl.element("div", [("data-shortcut", key.key), ("data-action", key.action)]) { row in
                        row.element("dt") { dt in dt.element("kbd", text: key.key) }
                        row.element("dd", text: key.label)
                    }
                }
            }
            div.element("button", [("type", "button"), ("data-close", "shortcuts")], text: "Close (Esc)")
        }
    }
}
