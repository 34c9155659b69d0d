"""Help → Check for updates: the latest release of the project, and a link to it.

It reads the GitHub releases API's "latest release" document from a configured URL
(``EXPENSE_TRACKER_UPDATES_URL`` or the ``updates/url`` setting; no URL, no check)
and compares its tag with this app's version. Nothing is downloaded or installed:
the user gets a link to the release page. The request runs in a worker.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import httpx
import msgspec

from desktop.views.about import app_version

USER_AGENT = "expense-tracker-update-check"
TIMEOUT = 10.0


class _Release(msgspec.Struct):
    """The fields we read of GitHub's release object (it has many more)."""

    tag_name: str
    html_url: str
    name: str | None = None
    draft: bool = False
    prerelease: bool = False


@dataclass(frozen=True)
class UpdateCheck:
    current: str
    latest: str
    url: str  # the release page, for a person to read

    @property
    def newer_available(self) -> bool:
        current, latest = version_key(self.current), version_key(self.latest)
        return current is None or (latest is not None and latest > current)


class UpdateCheckFailed(Exception):
    """The release document could not be read; the message says why in plain words."""


def version_key(text: str) -> tuple[tuple[int, ...], int] | None:
    """``"v1.2.3"`` → ``((1, 2, 3), 1)``; a pre-release (``1.2.3rc1``) sorts first.

    None for what is not a version at all ("development", a source checkout).
    """
    match = re.match(r"^[vV]?(\d+(?:\.\d+)*)(.*)$", text.strip())
    if match is None:
        return None
    numbers = tuple(int(part) for part in match.group(1).split("."))
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers = numbers[:-1]  # 1.2.0 == 1.2
    final = 0 if match.group(2).strip() else 1
    return numbers, final


def check_for_updates(url: str, current: str | None = None) -> UpdateCheck:
    """Blocking: call from the runner."""
    try:
        response = httpx.get(
            url,
            timeout=TIMEOUT,
            follow_redirects=True,
            headers={"Accept": "application/vnd.github+json", "User-Agent": USER_AGENT},
        )
    except httpx.HTTPError as error:
        raise UpdateCheckFailed(f"Could not reach {httpx.URL(url).host}: {error}") from None
    if response.status_code == 404:
        raise UpdateCheckFailed("No release has been published yet.")
    if response.is_error:
        raise UpdateCheckFailed(f"The release server answered {response.status_code}.")
    try:
        release = msgspec.json.decode(response.content, type=_Release)
    except msgspec.DecodeError:
        raise UpdateCheckFailed(
            "The release server sent something that is not a release."
        ) from None
    if not release.html_url.startswith(("https://", "http://")):
        raise UpdateCheckFailed("The release server sent a link that is not a web page.")
    return UpdateCheck(current or app_version(), release.tag_name, release.html_url)


def describe(check: UpdateCheck) -> str:
    """Rich text for the dialog: what is installed, what is out, where to get it."""
    url = html.escape(check.url)
    link = f'<a href="{url}">{url}</a>'
    if check.newer_available:
        latest = html.escape(check.latest.lstrip("vV"))
        return (
            f"<b>Expense Tracker {latest} is available</b> "
            f"(you have {check.current}).<br>Download it from the release page: {link}"
        )
    return f"You have the latest version ({check.current}).<br>Release notes: {link}"
