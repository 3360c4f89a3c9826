"""Helpers the browser tests share: start `threadguard demo --serve`, drive Debian's chromium, check and report."""
import os
import re
import subprocess
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

FAILURES = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what, flush=True)
    if not condition:
        FAILURES.append(what)


def start_demo(binary):
    workdir = "/tmp/tg-browser-%d" % os.getpid()
    proc = subprocess.Popen([binary, "demo", "--serve", "--workdir", workdir], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    url = password = database = actions = None
    deadline = time.time() + 240
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        m = re.search(r"database (\S+)", line)
        if m:
            database = m.group(1)
        m = re.match(r"actions\s+(\S+)", line)
        if m:
            actions = m.group(1)
        m = re.search(r"review\s+(http://\S+)/login .* demo / (\S+)", line)
        if m:
            url, password = m.group(1), m.group(2)
            break
    if not url:
        proc.kill()
        sys.exit("the demo did not print the review page's address")
    return proc, url, password, database, actions


def browser():
    options = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--disable-gpu"]:
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def page_replaced(old):
    """True once `old` no longer belongs to the page. Selenium's staleness_of expects a stale-element error, but
    mid-navigation Chrome may answer "Node with given id does not belong to the document" instead: both mean
    the old page is gone."""
    def check(_driver):
        try:
            old.is_enabled()
            return False
        except WebDriverException:
            return True
    return check


def click_and_wait(driver, element, css):
    """Clicks, then waits for the next page to replace this one and show `css`."""
    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 15).until(page_replaced(old))
    WebDriverWait(driver, 15).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css)))


def sign_in(driver, base, name, password):
    driver.delete_all_cookies()
    driver.get(base + "/login")
    driver.find_element(By.NAME, "name").send_keys(name)
    driver.find_element(By.NAME, "password").send_keys(password)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.login button[type=submit]"), "main")


def no_alert(driver):
    try:
        driver.switch_to.alert
        return False
    except NoAlertPresentException:
        return True


def finish():
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES))
        sys.exit(1)
    print("all browser checks passed")
