"""`tracker serve` in headless Chromium: two tabs, two app processes, one progress file.

Run by `make test-browser` (never by `make test`: it needs a browser and takes seconds).
The page draws the terminal with xterm.js on a canvas, so the screen's text is read from
xterm's own buffer (its public API): a script added before the page's own catches the
Terminal object when textual-serve's page stores it as `this.terminal`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

REPO = Path(__file__).resolve().parents[1]
START_SECONDS = 30.0
SCREEN_SECONDS = 45.0
SAVE_SECONDS = 15.0

CATCH_TERMINAL = """
window.trackerTerminals = [];
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    if (value && value.buffer && value.buffer.active) { window.trackerTerminals.push(value); }
    Object.defineProperty(this, "terminal", {
      value, writable: true, configurable: true, enumerable: true,
    });
  },
});
"""
READ_SCREEN = """
const terminal = (window.trackerTerminals || [])[0];
if (!terminal) { return null; }
const buffer = terminal.buffer.active;
const lines = [];
for (let row = 0; row < terminal.rows; row++) {
  const line = buffer.getLine(buffer.viewportY + row);
  lines.push(line ? line.translateToString(true) : "");
}
return lines.join("\\n");
"""


def row(screen_text: str, mark: str, episode: int) -> bool:
    """Does the screen show episode `episode`'s row with `mark` (✓ watched, ○ not)? The
    numbers are right-aligned, so the space between varies."""
    return re.search(rf"{mark}\s+E{episode}\b", screen_text) is not None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(
    what: str, check: Callable[[], bool], seconds: float, describe: Callable[[], str]
) -> None:
    """Poll until check() holds, or fail saying what was awaited and what was there."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.25)
    pytest.fail(f"waited {seconds:.0f} s for {what}; instead:\n{describe()}")


@pytest.fixture
def tracker_home(tmp_path: Path) -> Path:
    home = tmp_path / "tracker-home"
    home.mkdir()
    return home


@pytest.fixture
def served(tracker_home: Path, tmp_path: Path) -> Iterator[str]:
    """`tracker serve` on a free port, killed in the end whatever happened."""
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "TRACKER_HOME": str(tracker_home), "PYTHONPATH": str(REPO / "src")}
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "tracker_tui", "serve", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(
            "tracker serve to listen",
            lambda: server.poll() is None and listening(port),
            START_SECONDS,
            lambda: f"exit code {server.poll()}; its output:\n{log.read_text()}",
        )
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


def find_program(*names: str) -> str:
    for name in names:
        if found := shutil.which(name):
            return found
    pytest.fail(f"none of {', '.join(names)} is installed: `make test-browser` installs them")


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    options = Options()
    options.binary_location = find_program("chromium", "chromium-browser", "google-chrome")
    for argument in ("--headless=new", "--no-sandbox", "--window-size=1280,900"):
        options.add_argument(argument)
    service = Service(find_program("chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()


def open_tab(driver: webdriver.Chrome, url: str) -> None:
    """Load the page in this tab, with the terminal catcher in place first."""
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CATCH_TERMINAL})
    driver.get(url)


def screen(driver: webdriver.Chrome) -> str:
    text = driver.execute_script(READ_SCREEN)
    return text if isinstance(text, str) else "(no terminal on the page yet)"


def wait_for_screen(driver: webdriver.Chrome, what: str, check: Callable[[str], bool]) -> None:
    wait_for(what, lambda: check(screen(driver)), SCREEN_SECONDS, lambda: screen(driver))


def press(driver: webdriver.Chrome, keys: str) -> None:
    """Type into xterm's input, which sends it down the websocket to the app."""
    driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea").send_keys(keys)


def history(home: Path) -> list[dict[str, object]]:
    """The viewings in the progress file on disk, read by `tracker history --json`."""
    result = subprocess.run(
        [sys.executable, "-m", "tracker_tui", "history", "--json"],
        env={**os.environ, "TRACKER_HOME": str(home), "PYTHONPATH": str(REPO / "src")},
        capture_output=True,
        text=True,
        check=True,
    )
    entries: list[dict[str, object]] = json.loads(result.stdout)
    return entries


def watched_codes(home: Path) -> list[str]:
    return sorted(str(entry["code"]) for entry in history(home) if entry["event"] == "watched")


def test_two_tabs_mark_episodes_into_one_progress_file(
    served: str, browser: webdriver.Chrome, tracker_home: Path
) -> None:
    # The first tab: the main screen opens on the first show, its first episode
    # highlighted; space marks it, and the app saves at once.
    open_tab(browser, served)
    first_tab = browser.current_window_handle
    wait_for_screen(browser, "the shows list", lambda text: "Shows" in text and row(text, "○", 1))
    press(browser, " ")
    wait_for(
        "the first tab's viewing in the progress file",
        lambda: watched_codes(tracker_home) == ["S1E1"],
        SAVE_SECONDS,
        lambda: f"history: {history(tracker_home)}\nscreen:\n{screen(browser)}",
    )

    # The second tab is a second app process: it reads the first one's viewing, jumps to
    # the next unwatched episode (n) and marks it; the store merges, both are kept.
    browser.switch_to.new_window("tab")
    open_tab(browser, served)
    wait_for_screen(browser, "the second tab's screen with S1E1 watched", lambda t: row(t, "✓", 1))
    press(browser, "n")
    press(browser, " ")
    wait_for(
        "both tabs' viewings in the progress file",
        lambda: watched_codes(tracker_home) == ["S1E1", "S1E2"],
        SAVE_SECONDS,
        lambda: f"history: {history(tracker_home)}\nscreen:\n{screen(browser)}",
    )

    # The first tab's app sees the second one's viewing on disk.
    browser.switch_to.window(first_tab)
    wait_for_screen(browser, "the first tab to show S1E2 watched", lambda t: row(t, "✓", 2))
