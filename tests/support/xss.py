"""The community's XSS corpus (tests/support/xss_payloads.txt), read for the browser test and the unit tests."""

from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "xss_payloads.txt"


def load_corpus() -> list[str]:
    """The payloads, one a line ({LF}: a line break, {NUL}: a NUL character). Split on "\\n" alone: str.splitlines
    would also cut at the Unicode line separators some payloads hold."""
    lines = CORPUS.read_text(encoding="utf-8").split("\n")
    return [line.replace("{LF}", "\n").replace("{NUL}", "\x00") for line in lines if line and not line.startswith("#:")]
