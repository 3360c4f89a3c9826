import Foundation
import GRDB

/// Schema history. A migration is never edited once shipped: add a new one.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-core") { db in
            try db.create(table: "source") { t in
                t.primaryKey("name", .text)
                t.column("connector", .text).notNull()
                t.column("account", .text).notNull()
                t.column("needsToken", .boolean).notNull().defaults(to: false)
                t.column("lastError", .text)
                t.column("lastPolledAt", .datetime)
            }
            try db.create(table: "cursor") { t in
                t.column("sourceName", .text).notNull().references("source", onDelete: .cascade)
                t.column("stream", .text).notNull()
                t.column("position", .text).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.primaryKey(["sourceName", "stream"])
            }
            try db.create(table: "item") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("platform", .text).notNull()
                t.column("platformID", .text).notNull().check { length($0) > 0 }
                t.column("kind", .text).notNull().check { ["post", "comment", "reply"].contains($0) }
                t.column("sourceName", .text).notNull()
                t.column("threadRootID", .text).notNull()
                t.column("parentID", .text)
                t.column("authorID", .text).notNull()
                t.column("authorName", .text).notNull()
                t.column("text", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("fetchedAt", .datetime).notNull()
                t.column("permalink", .text)
                t.column("isHidden", .boolean).notNull().defaults(to: false)
                t.column("isBrand", .boolean).notNull().defaults(to: false)
                t.uniqueKey(["platform", "platformID"])
            }
            try db.create(index: "item_thread", on: "item", columns: ["platform", "threadRootID"])
            try db.create(table: "decision") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("itemID", .integer).notNull().unique().references("item", onDelete: .cascade)
                t.column("phi", .boolean).notNull()
                t.column("score", .double).notNull()
                t.column("subject", .text).notNull()
                t.column("categories", .text).notNull()
                t.column("actions", .text).notNull()
                t.column("rules", .text).notNull()
                t.column("priority", .integer).notNull()
                t.column("decidedAt", .datetime).notNull()
            }
            try db.create(table: "finding") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("decisionID", .integer).notNull().indexed().references("decision", onDelete: .cascade)
                t.column("type", .text).notNull()
                t.column("start", .integer).notNull()
                t.column("end", .integer).notNull()
                t.column("score", .double).notNull()
                t.column("recognizer", .text).notNull()
            }
            try db.create(table: "action") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("itemID", .integer).notNull().indexed().references("item", onDelete: .cascade)
                t.column("kind", .text).notNull()
                t.column("idempotencyKey", .text).notNull().unique()
                t.column("status", .text).notNull()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("payload", .text)
                t.column("ruleIDs", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.column("lastError", .text)
                t.column("platformRef", .text)
            }
            try db.create(index: "action_status", on: "action", columns: ["status"])
            try db.create(table: "audit") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull()
                t.column("actor", .text).notNull()
                t.column("event", .text).notNull()
                t.column("itemID", .integer)
                t.column("ruleIDs", .text).notNull()
                t.column("before", .text)
                t.column("after", .text)
                t.column("detail", .text)
            }
            // Append-only: the database itself refuses edits and deletions through the program's connection.
            try db.execute(sql: """
                CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
        }
        migrator.registerMigration("v2-audit-chain") { db in
            // Times become integer milliseconds (hashed exactly); each row links to the one before by hash.
            try db.execute(sql: """
                DROP TRIGGER audit_no_update;
                DROP TRIGGER audit_no_delete;
                CREATE TABLE audit_new (
                    id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, event TEXT NOT NULL, itemID INTEGER,
                    ruleIDs TEXT NOT NULL, before TEXT, after TEXT, detail TEXT, prevHash TEXT NOT NULL, hash TEXT NOT NULL);
                """)
            var previous = AuditChain.genesis
            for row in try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY id") {
                let date: Date = row["at"]
                let ms = AuditChain.milliseconds(date)
                let id: Int64 = row["id"]
                let digest = AuditChain.hash(AuditChain.content(
                    id: id, atMilliseconds: ms, actor: row["actor"], event: row["event"], itemID: row["itemID"], ruleIDs: row["ruleIDs"],
                    before: row["before"], after: row["after"], detail: row["detail"], prevHash: previous))
                try db.execute(sql: "INSERT INTO audit_new VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", arguments: [
                    id, ms, row["actor"] as String, row["event"] as String, row["itemID"] as Int64?, row["ruleIDs"] as String,
                    row["before"] as String?, row["after"] as String?, row["detail"] as String?, previous, digest])
                previous = digest
            }
            try db.execute(sql: """
                DROP TABLE audit;
                ALTER TABLE audit_new RENAME TO audit;
                CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
        }
        migrator.registerMigration("v3-adverse-events") { db in
            try db.create(table: "adverse_event") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("itemID", .integer).notNull().unique().references("item", onDelete: .restrict)
                t.column("platform", .text).notNull()
                t.column("platformID", .text).notNull()
                t.column("permalink", .text)
                t.column("awareAt", .datetime).notNull()
                t.column("dueAt", .datetime).notNull()
                t.column("status", .text).notNull().check { ["open", "reported", "closed"].contains($0) }
                t.column("reporterIdentifiable", .boolean).notNull()
                t.column("reporterHandle", .text).notNull()
                t.column("patientIdentifiable", .boolean).notNull()
                t.column("patientRelation", .text).notNull()
                t.column("suspectProducts", .text).notNull()
                t.column("eventTerms", .text).notNull()
                t.column("ruleIDs", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v4-action-template") { db in
            try db.alter(table: "action") { t in t.add(column: "template", .text) }
        }
        migrator.registerMigration("v5-review") { db in
            // The review queue: one row per flagged item, worked by people.
            try db.create(table: "review") { t in
                t.primaryKey("itemID", .integer).references("item", onDelete: .cascade)
                t.column("status", .text).notNull().check { ["open", "resolved", "dismissed", "escalated"].contains($0) }
                t.column("priority", .integer).notNull()
                t.column("category", .text).notNull()
                t.column("categories", .text).notNull()
                t.column("assignee", .text)
                t.column("openedAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.column("firstActionAt", .datetime)
            }
            try db.create(index: "review_queue", on: "review", columns: ["status", "priority", "openedAt"])
            try db.create(index: "review_category", on: "review", columns: ["category", "status"])
            try db.execute(sql: """
                INSERT INTO review (itemID, status, priority, category, categories, openedAt, updatedAt)
                SELECT d.itemID, 'open', d.priority,
                       COALESCE(json_extract(d.categories, '$[0]'), CASE WHEN d.phi THEN 'phi' ELSE 'other' END),
                       d.categories, d.decidedAt, d.decidedAt
                FROM decision d WHERE d.actions != '[]'
                """)
            try db.create(table: "user") { t in
                t.primaryKey("name", .text)
                t.column("passwordHash", .text).notNull()
                t.column("role", .text).notNull().check { ["reviewer", "lead", "admin"].contains($0) }
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "session") { t in
                t.primaryKey("tokenHash", .text)
                t.column("userName", .text).notNull().references("user", onDelete: .cascade)
                t.column("csrf", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
            }
            // The last thing each person did, so that it can be undone.
            try db.create(table: "undo") { t in
                t.primaryKey("userName", .text)
                t.column("itemID", .integer).notNull()
                t.column("action", .text).notNull()
                t.column("state", .text).notNull()
                t.column("at", .datetime).notNull()
            }
        }
        migrator.registerMigration("v6-review-order") { db in
            // The queue's default order (highest priority, then oldest first) straight from an index.
            try db.execute(sql: "CREATE INDEX review_order ON review (status, priority DESC, openedAt, itemID)")
            // Counts per category and the platform filter sorted by date, without visiting every row.
            try db.execute(sql: "CREATE INDEX review_status_category ON review (status, category)")
            try db.execute(sql: "CREATE INDEX item_platform_created ON item (platform, createdAt)")
            try db.execute(sql: "CREATE INDEX item_created ON item (createdAt)")
        }
        migrator.registerMigration("v7-drop-review-queue-index") { db in
            // review_order (status, priority DESC, openedAt, itemID) serves every query review_queue did, and each
            // flagged comment paid for both.
            try db.execute(sql: "DROP INDEX IF EXISTS review_queue")
        }
        migrator.registerMigration("v8-outbox-owner") { db in
            // One owner per action: an executor claims a row (pending to sending) with a conditional update before
            // it sends, and records the outcome only while it still owns the row.
            try db.alter(table: "action") { t in
                t.add(column: "owner", .text)
                t.add(column: "claimedAt", .datetime)
            }
        }
        migrator.registerMigration("v9-audit-keys") { db in
            // The database's own id (checkpoints of its audit log name it), and which audit rows carry a keyed hash.
            try db.create(table: "meta") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
            try db.execute(sql: "ALTER TABLE audit ADD COLUMN keyed INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v10-operations") { db in
            // Source health for `status` and the exit code: when the last poll succeeded, since when it has failed.
            try db.alter(table: "source") { t in
                t.add(column: "lastSuccessAt", .datetime)
                t.add(column: "failingSince", .datetime)
                t.add(column: "errorKind", .text)
                t.add(column: "apiBudget", .text)
            }
            // Alerts to people (webhook, e-mail): one row per channel and subject, sent once, retried; never comment text.
            try db.create(table: "alert") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("key", .text).notNull().unique()
                t.column("channel", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("payload", .text).notNull()
                t.column("status", .text).notNull().check { ["pending", "sending", "sent", "dead"].contains($0) }
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("owner", .text)
                t.column("lastError", .text)
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(index: "alert_status", on: "alert", columns: ["status"])
            // Counters and histograms that add up across cron runs, exposed by `serve` and `poll --metrics-file`.
            try db.create(table: "metric") { t in
                t.column("name", .text).notNull()
                t.column("labels", .text).notNull()
                t.column("value", .double).notNull()
                t.primaryKey(["name", "labels"])
            }
        }
        migrator.registerMigration("v11-shadow-outcomes") { db in
            // What shadow rules would have done, kept with the decision (shown by replay, reports, the queue and the page).
            try db.alter(table: "decision") { t in
                t.add(column: "shadowRules", .text).notNull().defaults(to: "[]")
                t.add(column: "shadowActions", .text).notNull().defaults(to: "[]")
            }
        }
        migrator.registerMigration("v12-team-inbox") { db in
            // The review page as a team inbox: groups of near-identical comments, response targets, automation's
            // own closing, and full-text search over the queued comments.
            try db.alter(table: "review") { t in
                t.add(column: "groupKey", .text)
                t.add(column: "groupLead", .boolean).notNull().defaults(to: true)
                t.add(column: "target", .text).notNull().defaults(to: "other")
                t.add(column: "dueAt", .datetime)
                t.add(column: "closedBy", .text)
            }
            try db.execute(sql: "CREATE INDEX review_lead_order ON review (status, groupLead, priority DESC, openedAt, itemID)")
            try db.create(index: "review_group", on: "review", columns: ["groupKey", "status", "itemID"])
            try db.execute(sql: "CREATE INDEX review_group_lead ON review (groupKey) WHERE groupLead = 1")
            // Items already queued join their groups too (their deadlines stay unknown: no timer for them).
            let setKey = try db.makeStatement(sql: "UPDATE review SET groupKey = ? WHERE itemID = ?")
            var after: Int64 = 0
            while true {  // in slices, so a large queue is never held in memory at once
                let slice = try Row.fetchAll(db, sql: "SELECT r.itemID, i.text FROM review r JOIN item i ON i.id = r.itemID WHERE r.itemID > ? ORDER BY r.itemID LIMIT 5000",
                                             arguments: [after])
                guard let last = slice.last else { break }
                for row in slice {
                    guard let key = ReviewGroups.key(of: row["text"]) else { continue }
                    try setKey.execute(arguments: [key, row["itemID"] as Int64])
                }
                after = last["itemID"]
            }
            try db.execute(sql: """
                UPDATE review SET groupLead = (itemID = (SELECT MIN(r2.itemID) FROM review r2 WHERE r2.groupKey = review.groupKey AND r2.status = review.status))
                WHERE groupKey IS NOT NULL
                """)
            try db.create(index: "review_assignee", on: "review", columns: ["assignee", "status"])
            // The queued comments' words (a copy of their text, as the FTS5 index needs): kept with the review row,
            // removed with it (retention purges items, and their review rows with them). Searches are words and word
            // beginnings, all of them, so the index keeps no positions (detail = none): a third less work per comment.
            try db.execute(sql: """
                CREATE VIRTUAL TABLE review_search USING fts5(text, tokenize = 'unicode61 remove_diacritics 2', detail = none, columnsize = 0);
                INSERT INTO review_search (rowid, text) SELECT r.itemID, i.text FROM review r JOIN item i ON i.id = r.itemID;
                CREATE TRIGGER review_search_insert AFTER INSERT ON review BEGIN
                    INSERT INTO review_search (rowid, text) SELECT NEW.itemID, text FROM item WHERE id = NEW.itemID;
                END;
                CREATE TRIGGER review_search_delete AFTER DELETE ON review BEGIN
                    DELETE FROM review_search WHERE rowid = OLD.itemID;
                END;
                CREATE TRIGGER review_search_edit AFTER UPDATE OF text ON item BEGIN
                    UPDATE review_search SET text = NEW.text WHERE rowid = NEW.id;
                END;
                """)
        }
        migrator.registerMigration("v13-review-tally") { db in
            // The queue's counts without a filter (per status, grouped or not; open per category) kept as they change,
            // so the first page does not count 100,000 rows on every load.
            try db.execute(sql: """
                CREATE TABLE review_tally (status TEXT NOT NULL, category TEXT NOT NULL, groupLead INTEGER NOT NULL, n INTEGER NOT NULL,
                                           PRIMARY KEY (status, category, groupLead)) WITHOUT ROWID;
                INSERT INTO review_tally (status, category, groupLead, n)
                    SELECT status, category, groupLead, COUNT(*) FROM review GROUP BY status, category, groupLead;
                CREATE TRIGGER review_tally_insert AFTER INSERT ON review BEGIN
                    INSERT INTO review_tally (status, category, groupLead, n) VALUES (NEW.status, NEW.category, NEW.groupLead, 1)
                        ON CONFLICT (status, category, groupLead) DO UPDATE SET n = n + 1;
                END;
                CREATE TRIGGER review_tally_delete AFTER DELETE ON review BEGIN
                    UPDATE review_tally SET n = n - 1 WHERE status = OLD.status AND category = OLD.category AND groupLead = OLD.groupLead;
                END;
                CREATE TRIGGER review_tally_update AFTER UPDATE OF status, category, groupLead ON review
                WHEN OLD.status IS NOT NEW.status OR OLD.category IS NOT NEW.category OR OLD.groupLead IS NOT NEW.groupLead BEGIN
                    UPDATE review_tally SET n = n - 1 WHERE status = OLD.status AND category = OLD.category AND groupLead = OLD.groupLead;
                    INSERT INTO review_tally (status, category, groupLead, n) VALUES (NEW.status, NEW.category, NEW.groupLead, 1)
                        ON CONFLICT (status, category, groupLead) DO UPDATE SET n = n + 1;
                END;
                """)
        }
        return migrator
    }
}
