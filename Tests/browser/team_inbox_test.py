#!/usr/bin/python3
"""The review page as a team inbox, in a real browser (Debian's chromium + chromium-driver, driven by selenium).

usage: /usr/bin/python3 Tests/browser/team_inbox_test.py THREADGUARD_BINARY [--screenshots DIR]

Starts `threadguard demo --serve` (the same comments on six sandbox platforms, so each flagged comment is a group of
six near-identical items), then checks: a group of six handled in one action leaves six audit rows; search finds an
item by a word of its text; a bulk dismiss of 50; an assignment to an unknown user refused; a crisis item's timer
shown and its breach counted on the dashboard and in /metrics; the decision block above the fold at 1280x800; one
identifier revealed while the other stays masked, and a reload adds no audit row; no sideways scrolling at 390x844;
every key the `?` overlay lists works, on the queue and on the item page. With --screenshots it saves the queue
(grouped), an item and the dashboard at both sizes.
"""
import datetime
import os
import re
import sqlite3
import sys
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from browser_support import browser, check, click_and_wait, finish, sign_in, start_demo


def rows(driver):
    return driver.find_elements(By.CSS_SELECTOR, "table.queue tbody tr")


def flash(driver):
    return " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, ".flash, .error"))


def item_id(driver):
    return int(driver.current_url.split("/item/")[1].split("?")[0].split("#")[0])


def audit_count(database, event, ids):
    marks = ",".join("?" * len(ids))
    return sqlite3.connect(database).execute(
        "SELECT COUNT(*) FROM audit WHERE event = ? AND itemID IN (%s)" % marks, [event] + list(ids)).fetchone()[0]


def press(driver, key, expect_navigation=True):
    """Presses a key on the page's body; waits for the next page when the key submits or follows a link."""
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.TAG_NAME, "body").send_keys(key)
    if expect_navigation:
        WebDriverWait(driver, 15).until(lambda d: _gone(old))
        WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "main"))


def _gone(element):
    try:
        element.is_enabled()
        return False
    except Exception:
        return True


def no_sideways_scroll(driver):
    return driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")


def groups(driver, base, database, shots):
    driver.get(base + "/queue")
    # A group without a drafted reply (the crisis groups' drafts are approved further on).
    grouped = [r for r in rows(driver) if r.get_attribute("data-group-count") == "6" and "reply to approve" not in r.text]
    check(len(grouped) > 0, "the queue shows the same comment on six platforms as one row (x6)")
    if not grouped:
        return
    click_and_wait(driver, grouped[0].find_element(By.CSS_SELECTOR, "td.comment a"), "section.decision")
    members = [int(b.get_attribute("value")) for b in driver.find_elements(By.CSS_SELECTOR, "form.group input[name=item]")]
    check(len(members) == 6, "its item page lists the six items of the group (%d)" % len(members))
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.group button[value=dismiss]"), "main")
    check("Dismissed 6 items" in flash(driver), "one action dismissed the six (%s)" % flash(driver))
    check(audit_count(database, "review.dismiss", members) == 6, "six audit rows, one per item")
    statuses = sqlite3.connect(database).execute(
        "SELECT DISTINCT status FROM review WHERE itemID IN (%s)" % ",".join(map(str, members))).fetchall()
    check(statuses == [("dismissed",)], "all six are dismissed")


def search(driver, base):
    driver.get(base + "/queue?status=all")
    field = driver.find_element(By.CSS_SELECTOR, "input[name=q]")
    field.send_keys("humidifier")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]"), "main")
    found = rows(driver)
    check(len(found) > 0 and all("humidifier" in r.text.lower() for r in found), "search finds the item by a word of its text (%d rows)" % len(found))
    driver.get(base + "/queue?status=all&q=zyxwvutsrq")
    check(len(rows(driver)) == 0, "a word no comment has finds nothing")


def bulk_dismiss(driver, base, database):
    driver.get(base + "/queue?status=open&group=0")
    boxes = driver.find_elements(By.CSS_SELECTOR, "table.queue tbody input[type=checkbox]")
    check(len(boxes) >= 50, "50 open items on the first page, each apart (%d)" % len(boxes))
    chosen = [int(b.get_attribute("value")) for b in boxes[:50]]
    for box in boxes[:50]:
        box.click()
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.bulk button[value=dismiss]"), "main")
    check("Dismissed 50 items" in flash(driver), "a bulk dismiss of 50 (%s)" % flash(driver))
    check(audit_count(database, "review.dismiss", chosen) == 50, "50 audit rows, one per item")


def unknown_assignee(driver, base, database):
    driver.get(base + "/queue?status=all&group=0")
    box = driver.find_element(By.CSS_SELECTOR, "table.queue tbody input[type=checkbox]")
    target = int(box.get_attribute("value"))
    box.click()
    # The list offers only real users; a forged form names someone else.
    driver.execute_script("var o = document.createElement('option'); o.value = 'mallory'; o.textContent = 'mallory';"
                          "var s = document.querySelector('form.bulk select[name=assignee]'); s.appendChild(o); s.value = 'mallory';")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.bulk button[value=assign]"), "main")
    check("No such user" in driver.page_source and "mallory" in driver.page_source, "an assignment to an unknown user is refused, naming it")
    db = sqlite3.connect(database)
    check(db.execute("SELECT assignee FROM review WHERE itemID = ?", (target,)).fetchone()[0] is None, "nothing was assigned")
    check(audit_count(database, "review.assign", [target]) == 0, "and nothing audited as assigned")


def crisis_timer(driver, base, database):
    driver.get(base + "/queue?status=open&category=distress")
    timers = driver.find_elements(By.CSS_SELECTOR, "table.queue tbody td.due .timer")
    check(len(timers) > 0 and "left" in timers[0].text, "a crisis item shows its time left (%s)" % (timers[0].text if timers else "none"))
    crisis = sqlite3.connect(database).execute("SELECT COUNT(*) FROM review WHERE target = 'crisis' AND status = 'open'").fetchone()[0]
    # Time passes: the crisis items' 15 minutes run out 25 minutes ago (their deadline is moved, not waited for).
    past = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=25)).strftime("%Y-%m-%d %H:%M:%S.000")
    db = sqlite3.connect(database)
    db.execute("UPDATE review SET dueAt = ? WHERE target = 'crisis' AND status = 'open'", (past,))
    db.commit()
    driver.get(base + "/queue?status=open&category=distress")
    timers = driver.find_elements(By.CSS_SELECTOR, "table.queue tbody td.due .timer.breach")
    check(len(timers) > 0 and re.match(r"overdue by 2[56] min", timers[0].text), "past its target the timer says overdue (%s)" % (timers[0].text if timers else "none"))
    driver.get(base + "/dashboard")
    waiting = driver.find_element(By.CSS_SELECTOR, "table.targets tr[data-target=crisis] td.waiting").text
    check(waiting == str(crisis) and crisis > 0, "the dashboard counts the crisis breaches (%s of %d)" % (waiting, crisis))
    metrics = urllib.request.urlopen(base + "/metrics").read().decode()
    line = 'threadguard_review_target_breaches{target="crisis",state="waiting"} %d' % crisis
    check(line in metrics, "/metrics counts them too")


def decision_first(driver, base, shots):
    driver.set_window_size(1280, 800)
    driver.get(base + "/queue?status=open&category=distress")
    with_draft = [r for r in rows(driver) if "reply to approve" in r.text]
    check(len(with_draft) > 0, "a crisis item with a drafted reply")
    if not with_draft:
        return
    click_and_wait(driver, with_draft[0].find_element(By.CSS_SELECTOR, "td.comment a"), "section.decision")
    height = driver.execute_script("return window.innerHeight")
    block = driver.find_element(By.CSS_SELECTOR, "section.decision").rect
    approve = driver.find_element(By.CSS_SELECTOR, "section.decision button[data-key=approve]").rect
    thread = driver.find_element(By.CSS_SELECTOR, "ol.thread").rect
    check(block["y"] < 300, "the decision block starts near the top (y=%d)" % block["y"])
    check(approve["y"] + approve["height"] <= height, "the approve button is above the fold at 1280x800 (bottom %d of %d)"
          % (approve["y"] + approve["height"], height))
    check(thread["y"] > block["y"], "the thread comes after the decision")
    if shots:
        driver.save_screenshot(os.path.join(shots, "item-1280x800.png"))


def reveal_one(driver, base, database):
    found = sqlite3.connect(database).execute("""
        SELECT d.itemID FROM finding f JOIN decision d ON d.id = f.decisionID WHERE f.type NOT IN ('HEALTH')
        GROUP BY d.itemID HAVING COUNT(*) >= 2 ORDER BY d.itemID LIMIT 1""").fetchone()
    check(found is not None, "an item with two identifiers")
    if not found:
        return
    item = found[0]
    driver.get(base + "/item/%d" % item)
    check(len(driver.find_elements(By.CSS_SELECTOR, "li.current mark.masked")) == 2, "both identifiers start masked")
    click_and_wait(driver, driver.find_elements(By.CSS_SELECTOR, "ul.identifiers button[data-key=reveal]")[0], "main")
    current = driver.find_element(By.CSS_SELECTOR, "li.current")
    check(len(current.find_elements(By.CSS_SELECTOR, "mark.revealed")) == 1 and len(current.find_elements(By.CSS_SELECTOR, "mark.masked")) == 1,
          "one identifier revealed, the other still masked")
    check("/reveal" not in driver.current_url, "the reveal answered with a redirect (POST-redirect-GET)")
    before = audit_count(database, "phi.revealed", [item])
    driver.refresh()
    WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "li.current"))
    check(audit_count(database, "phi.revealed", [item]) == before == 1, "a reload adds no audit row (%d)" % audit_count(database, "phi.revealed", [item]))
    check(len(driver.find_elements(By.CSS_SELECTOR, "li.current mark.revealed")) == 1, "and still shows the one revealed")


def phone_layout(driver, base, shots):
    driver.set_window_size(390, 844)
    for path, name in [("/queue", None), ("/queue?status=all&group=0", None), ("/dashboard", "dashboard")]:
        driver.get(base + path)
        check(no_sideways_scroll(driver), "no sideways scrolling at 390 px: %s" % path)
        if shots and name:
            driver.save_screenshot(os.path.join(shots, "%s-390x844.png" % name))
    driver.get(base + "/queue?status=all")
    link = driver.find_element(By.CSS_SELECTOR, "table.queue tbody td.comment a").get_attribute("href")
    driver.get(link)
    check(no_sideways_scroll(driver), "no sideways scrolling at 390 px: an item page")
    if shots:
        driver.save_screenshot(os.path.join(shots, "item-390x844.png"))
    driver.set_window_size(1280, 800)
    if shots:
        driver.get(base + "/dashboard")
        driver.save_screenshot(os.path.join(shots, "dashboard-1280x800.png"))


def overlay_keys(driver):
    return {d.get_attribute("data-shortcut"): d.get_attribute("data-action") for d in driver.find_elements(By.CSS_SELECTOR, "#shortcuts [data-shortcut]")}


def queue_keys(driver, base, database):
    driver.get(base + "/queue?status=open&group=0")
    listed = overlay_keys(driver)
    tried = set()
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys("?")
    check(driver.find_element(By.ID, "shortcuts").is_displayed(), "queue: ? shows the shortcuts")
    body.send_keys(Keys.ESCAPE)
    check(not driver.find_element(By.ID, "shortcuts").is_displayed(), "queue: Esc hides them")
    tried.add("?")
    body.send_keys("j")
    body.send_keys("j")
    check(rows(driver)[1].get_attribute("class") == "selected" or "selected" in rows(driver)[1].get_attribute("class"), "queue: j moves down")
    body.send_keys("k")
    check("selected" in rows(driver)[0].get_attribute("class"), "queue: k moves up")
    body.send_keys("x")
    check(rows(driver)[0].find_element(By.CSS_SELECTOR, "input[type=checkbox]").is_selected(), "queue: x ticks the row")
    body.send_keys("x")
    check(not rows(driver)[0].find_element(By.CSS_SELECTOR, "input[type=checkbox]").is_selected(), "queue: x again unticks it")
    body.send_keys("/")
    check(driver.switch_to.active_element.get_attribute("name") == "q", "queue: / goes to the search field")
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    body.click()
    body.send_keys("s")
    check(driver.switch_to.active_element.get_attribute("name") == "assignee", "queue: s goes to the assignee list")
    tried.update("jkx/s")
    for key, expected in [("d", "Dismissed 1 item"), ("e", "Escalated 1 item"), ("t", "Assigned to you 1 item"), ("h", "Hid 1 item")]:
        driver.get(base + "/queue?status=open&group=0")
        driver.find_element(By.TAG_NAME, "body").send_keys("j")
        press(driver, key)
        check(expected in flash(driver), "queue: %s acts on the current row (%s)" % (key, flash(driver)))
        tried.add(key)
    driver.get(base + "/queue?status=open&group=0")
    drafts = [i for i, r in enumerate(rows(driver)) if "reply to approve" in r.text]
    if drafts:
        for _ in range(drafts[0] + 1):
            driver.find_element(By.TAG_NAME, "body").send_keys("j")
        press(driver, "a")
        check("Approved the replies of 1 item" in flash(driver), "queue: a approves the current row's reply (%s)" % flash(driver))
        tried.add("a")
    driver.get(base + "/queue?status=open&group=0")
    driver.find_element(By.TAG_NAME, "body").send_keys("j")
    press(driver, "o")
    check("/item/" in driver.current_url, "queue: o opens the current row")
    tried.add("o")
    check(set(listed) <= tried, "queue: every listed key was tried (%s untried)" % ", ".join(sorted(set(listed) - tried)))


def item_keys(driver, base, database):
    db = sqlite3.connect(database)
    tried = set()
    # An open Facebook item (hiding there can be undone).
    item = db.execute("""SELECT r.itemID FROM review r JOIN item i ON i.id = r.itemID
                         WHERE r.status = 'open' AND i.platform = 'facebook' ORDER BY r.itemID LIMIT 1""").fetchone()
    check(item is not None, "an open Facebook item")
    if not item:
        return
    item = item[0]
    driver.get(base + "/item/%d" % item)
    listed = overlay_keys(driver)
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys("?")
    check(driver.find_element(By.ID, "shortcuts").is_displayed(), "item: ? shows the shortcuts")
    body.send_keys(Keys.ESCAPE)
    tried.add("?")
    body.send_keys("s")
    check(driver.switch_to.active_element.get_attribute("name") == "assignee", "item: s goes to the assignee list")
    tried.add("s")
    driver.get(base + "/item/%d" % item)
    press(driver, "t")
    check("Assigned." in flash(driver) and item_id(driver) == item, "item: t assigns it to me")
    tried.add("t")
    press(driver, "n")
    check(item_id(driver) != item, "item: n opens the next item")
    tried.add("n")
    driver.get(base + "/item/%d" % item)
    press(driver, "g")
    check(driver.current_url.endswith("/queue"), "item: g goes back to the queue")
    tried.add("g")
    driver.get(base + "/item/%d" % item)
    press(driver, "d")
    check("Dismissed." in flash(driver) and item_id(driver) != item, "item: d dismisses, and the next item opens (%s)" % flash(driver))
    tried.add("d")
    press(driver, "z")
    check("Undid dismiss" in flash(driver) and item_id(driver) == item, "item: z undoes it (%s)" % flash(driver))
    tried.add("z")
    press(driver, "e")
    check("Escalated" in flash(driver), "item: e escalates")
    tried.add("e")
    driver.get(base + "/item/%d" % item)
    press(driver, "o")
    check("Reopened." in flash(driver), "item: o reopens")
    tried.add("o")
    press(driver, "h")
    check("Hidden on the platform." in flash(driver), "item: h hides (%s)" % flash(driver))
    tried.add("h")
    driver.get(base + "/item/%d" % item)
    press(driver, "u")
    check("Shown again on the platform." in flash(driver), "item: u unhides (%s)" % flash(driver))
    tried.add("u")
    with_id = db.execute("""SELECT d.itemID FROM finding f JOIN decision d ON d.id = f.decisionID JOIN item i ON i.id = d.itemID
                            WHERE f.type != 'HEALTH' AND i.platform = 'facebook' ORDER BY d.itemID DESC LIMIT 1""").fetchone()
    if with_id:
        driver.get(base + "/item/%d" % with_id[0])
        press(driver, "r")
        check("Revealed" in flash(driver) and driver.find_elements(By.CSS_SELECTOR, "li.current mark.revealed"), "item: r reveals an identifier")
        tried.add("r")
    ae = db.execute("SELECT itemID FROM adverse_event WHERE status = 'open' ORDER BY itemID LIMIT 1").fetchone()
    if ae:
        driver.get(base + "/item/%d" % ae[0])
        press(driver, "m")
        check("Marked as reported" in flash(driver), "item: m marks the adverse event reported")
        tried.add("m")
    draft = db.execute("""SELECT r.itemID FROM review r JOIN action a ON a.itemID = r.itemID
                          WHERE a.status = 'draft' AND r.status = 'open' ORDER BY r.itemID LIMIT 1""").fetchone()
    if draft:
        driver.get(base + "/item/%d" % draft[0])
        press(driver, "a")
        check("Approved" in flash(driver), "item: a approves the reply (%s)" % flash(driver))
        tried.add("a")
    check(set(listed) <= tried, "item: every listed key was tried (%s untried)" % ", ".join(sorted(set(listed) - tried)))


def main():
    binary = sys.argv[1]
    shots = sys.argv[sys.argv.index("--screenshots") + 1] if "--screenshots" in sys.argv else None
    if shots:
        os.makedirs(shots, exist_ok=True)
    proc, base, password, database, _ = start_demo(binary)
    driver = browser()
    try:
        driver.set_window_size(1280, 800)
        sign_in(driver, base, "demo", password)
        if shots:
            driver.get(base + "/queue")
            driver.save_screenshot(os.path.join(shots, "queue-1280x800.png"))
            driver.set_window_size(390, 844)
            driver.get(base + "/queue")
            driver.save_screenshot(os.path.join(shots, "queue-390x844.png"))
            driver.set_window_size(1280, 800)
        search(driver, base)
        decision_first(driver, base, shots)
        reveal_one(driver, base, database)
        crisis_timer(driver, base, database)
        phone_layout(driver, base, shots)
        unknown_assignee(driver, base, database)
        groups(driver, base, database, shots)
        queue_keys(driver, base, database)
        item_keys(driver, base, database)
        bulk_dismiss(driver, base, database)
    finally:
        driver.quit()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except Exception:
            proc.kill()
    finish()


if __name__ == "__main__":
    main()
