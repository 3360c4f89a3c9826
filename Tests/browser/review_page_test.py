#!/usr/bin/python3
"""The review page in a real browser (Debian's chromium + chromium-driver, driven by selenium).

usage: /usr/bin/python3 Tests/browser/review_page_test.py THREADGUARD_BINARY

Starts `threadguard demo --serve` (six sandbox platforms on loopback, a real poll, the review page on 127.0.0.1),
then: signs in, works an item from the queue to a sent reply, reveals PHI and finds the audit entry, checks that
comments and author names carrying script tags, event handlers and javascript: links stay inert, that a form
posted without its CSRF token is refused, that a reviewer cannot reach the admin pages, and that the keyboard
shortcuts move through the queue. Exits 0 when every check passes; prints each failure otherwise.
"""
import http.cookiejar
import os
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from browser_support import finish, browser, check, click_and_wait, no_alert, sign_in, start_demo


def main():
    binary = sys.argv[1]
    proc, base, password, database, actions = start_demo(binary)
    driver = browser()
    try:
        # Sign in.
        sign_in(driver, base, "demo", password)
        check(driver.current_url.startswith(base + "/queue"), "signing in lands on the queue")
        check("Review queue" in driver.title, "the queue page has its title")

        # Hostile input stays inert everywhere it shows.
        driver.get(base + "/queue?status=all&platform=facebook")
        hostile_rows = [r for r in driver.find_elements(By.CSS_SELECTOR, "table.queue tbody tr") if "<script>" in r.text]
        check(len(hostile_rows) == 1, "the comment carrying a script tag is listed, as text")
        check(driver.title.startswith("Review queue"), "the script in a comment did not run on the queue page")
        check(len(driver.find_elements(By.CSS_SELECTOR, "script")) == 1, "the only script element is the page's own")
        check(len(driver.find_elements(By.CSS_SELECTOR, "[onerror], [onmouseover], img")) == 0, "no event-handler attribute or injected image in the DOM")
        check(no_alert(driver), "no alert was raised")
        if hostile_rows:
            click_and_wait(driver, hostile_rows[0].find_element(By.CSS_SELECTOR, "a"), "li.current")
            check(driver.title.startswith("Item"), "the hostile comment's page opened, and its script did not run")
            check("<img src=x onerror=" in driver.page_source.replace("&lt;", "<").replace("&gt;", ">") and
                  len(driver.find_elements(By.CSS_SELECTOR, "img, [onerror]")) == 0, "the hostile author name shows as text")
            check(all(not (a.get_attribute("href") or "").lower().startswith("javascript:") for a in driver.find_elements(By.TAG_NAME, "a")),
                  "no javascript: link on the item page")

        # Work an item from the queue to a sent reply: the crisis comment waits for a person.
        driver.get(base + "/queue?status=open&category=distress")
        rows = [r for r in driver.find_elements(By.CSS_SELECTOR, "table.queue tbody tr") if "reply to approve" in r.text]
        check(len(rows) > 0, "a distress item with a reply to approve is in the queue")
        if rows:
            click_and_wait(driver, rows[0].find_element(By.CSS_SELECTOR, "a"), "li.current")
            approved_id = int(driver.current_url.rstrip("/").split("/")[-1].split("?")[0])
            box = driver.find_element(By.CSS_SELECTOR, "textarea[name=reply]")
            box.clear()
            box.send_keys("We're glad you said something. You can call or text 988 any time, and our team will reach out privately.")
            click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "button[data-key=approve]"), "main")
            messages = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".flash, .error")]
            check(any("Approved" in m for m in messages), "approving shows a confirmation (%s)" % "; ".join(messages))
            check("/item/%d" % approved_id not in driver.current_url, "after approving, the next item opens")
            driver.get(base + "/item/%d" % approved_id)
            check("Private reply · done" in driver.page_source or "Public reply · done" in driver.page_source,
                  "the reply was sent through the platform's API (its action is done)")
            log = open(actions).read()
            check("988 any time" in log, "the sandbox platform received the approved reply")

        # Reveal PHI and find the audit entry.
        driver.get(base + "/queue?status=all&platform=instagram")
        masked = [r for r in driver.find_elements(By.CSS_SELECTOR, "table.queue tbody tr") if "[PHONE]" in r.text]
        check(len(masked) > 0, "phone numbers are masked in the queue")
        if masked:
            click_and_wait(driver, masked[0].find_element(By.CSS_SELECTOR, "a"), "li.current")
            item_id = int(driver.current_url.rstrip("/").split("/")[-1].split("?")[0])
            check("555" not in driver.find_element(By.CSS_SELECTOR, "li.current").text, "the number is masked on the item page")
            phone = [li for li in driver.find_elements(By.CSS_SELECTOR, "ul.identifiers li") if li.text.startswith("A phone number")]
            click_and_wait(driver, phone[0].find_element(By.CSS_SELECTOR, "button[data-key=reveal]"), "li.current")
            check("555" in driver.find_element(By.CSS_SELECTOR, "li.current").text, "revealing shows the number")
            rows = sqlite3.connect(database).execute(
                "SELECT actor FROM audit WHERE event = 'phi.revealed' AND itemID = ?", (item_id,)).fetchall()
            check(rows == [("user:demo",)], "the reveal is in the audit log, naming who revealed")

        # Keyboard: j selects the first row, Enter opens it.
        driver.get(base + "/queue")
        driver.find_element(By.TAG_NAME, "body").send_keys("j")
        selected = driver.find_elements(By.CSS_SELECTOR, "table.queue tbody tr.selected")
        check(len(selected) == 1, "j selects a row")
        driver.switch_to.active_element.send_keys(Keys.ENTER)
        WebDriverWait(driver, 15).until(lambda d: "/item/" in d.current_url)
        check("/item/" in driver.current_url, "Enter opens the selected item")

        # The dashboard.
        driver.get(base + "/dashboard")
        check(len(driver.find_elements(By.CSS_SELECTOR, "figure > svg")) == 4, "the dashboard draws four SVG charts")

        # A form posted without its CSRF token is refused.
        jar = http.cookiejar.CookieJar()
        session = driver.get_cookie("tg_session")
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        request = urllib.request.Request(base + "/item/%d/act" % item_id if masked else base + "/undo",
                                         data=urllib.parse.urlencode({"action": "dismiss"}).encode(),
                                         headers={"Cookie": "tg_session=" + session["value"]})
        try:
            opener.open(request)
            status = 200
        except urllib.error.HTTPError as e:
            status = e.code
        check(status == 403, "a form posted without its CSRF token is refused (HTTP %d)" % status)
        driver.execute_script("""
            var f = document.createElement('form'); f.method = 'post'; f.action = '/undo';
            document.body.appendChild(f); f.submit();""")
        WebDriverWait(driver, 15).until(lambda d: "Refused" in d.page_source or "/undo" in d.current_url)
        check("Refused" in driver.page_source, "the browser's own tokenless form is refused too")

        # An admin adds a reviewer; the reviewer cannot reach the admin pages.
        driver.get(base + "/admin/users")
        driver.find_element(By.NAME, "name").send_keys("robin")
        driver.find_element(By.NAME, "password").send_keys("amber-harbour-lantern-7")
        click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.login button[type=submit]"), "main")
        check("Added robin as reviewer" in driver.page_source, "an admin adds a reviewer")
        sign_in(driver, base, "robin", "amber-harbour-lantern-7")
        driver.get(base + "/admin/users")
        check("Not allowed" in driver.page_source, "a reviewer cannot reach the admin pages")
        check(len(driver.find_elements(By.CSS_SELECTOR, "a[href='/admin/users']")) == 0, "a reviewer sees no link to them")
    finally:
        driver.quit()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    finish()


if __name__ == "__main__":
    main()
