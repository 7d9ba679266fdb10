"""Every command the README and docs/ show is run, as shown, and answers.

The commands are read from the fenced shell blocks (`sh`: every line; `console`: the lines after
`$ `, the lines below one being its output). Each `lrkg …` line runs as a real process
(`python -m api …`) in a folder holding a copy of a store loaded from data/, with the files a
page tells its reader to write; each `curl` of http://127.0.0.1:8000 is sent, with its method,
headers and body, through the app over a store in memory of data/. A block runs top to bottom,
as a reader would run it. Where a page shows a command's output, its first line must be the
command's own first line (unless the page shortens it with "…").
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from api.analytics_cli import analytics
from api.app import create_app
from api.cli import main
from graph.store.config import Settings
from tests.conftest import DATA_DIR, ONTOLOGY_DIR, PROJECT_ROOT, SMALL_REVIEW, TEST_DATA

DOCUMENTS = [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]
SHELL = {"sh", "shell", "bash"}
SERVER = "http://127.0.0.1:8000"
TOKEN = "documented-write-token"
"""The write token of the server the curls are sent to; `$TOKEN` and `$LRKG_WRITE_TOKEN` in a page stand for it."""

NOT_RUN = {
    ("serve",): "runs until it is stopped: tests/servers.py starts `lrkg serve` for the browser and reliability tests",
}
"""Commands shown but not run here, each with the reason."""

SHOWN_FAILING = {
    "/api/recommendations?theme=comunication": 404,
}
"""Requests a page shows to show an error: the status it must answer."""


@dataclass(frozen=True)
class Shown:
    """One command as a page shows it, and the output the page shows below it (a `console` block)."""

    words: tuple[str, ...]
    output: tuple[str, ...]


@dataclass(frozen=True)
class Block:
    """A fenced shell block: where it is, and its commands in order."""

    where: str
    commands: tuple[Shown, ...]

    def lrkg(self) -> list[Shown]:
        return [shown for shown in self.commands if shown.words[0] in ("lrkg", ".venv/bin/lrkg")]

    def curl(self) -> list[Shown]:
        return [shown for shown in self.commands if shown.words[0] == "curl" and any(SERVER in w for w in shown.words)]


def fenced_blocks(text: str) -> Iterator[tuple[int, str, list[str]]]:
    """Each fenced block of a page: the line it opens on, its language and its lines."""
    lines = text.splitlines()
    number = 0
    while number < len(lines):
        opening = lines[number].strip()
        if opening.startswith("```"):
            end = next(i for i in range(number + 1, len(lines)) if lines[i].strip() == "```")
            yield number + 1, opening[3:].strip(), lines[number + 1 : end]
            number = end
        number += 1


def commands_in(language: str, lines: list[str]) -> list[Shown]:
    """The commands of a shell block, continued lines joined, each cut at a pipe."""
    shown: list[tuple[str, list[str]]] = []
    pending = ""
    for line in (line.strip() for line in lines):
        if pending:
            pending += " " + line.removesuffix("\\")
        elif language == "console" and line.startswith("$ "):
            pending = line[2:].removesuffix("\\")
        elif language in SHELL and line and not line.startswith("#"):
            pending = line.removesuffix("\\")
        elif language == "console" and shown:
            shown[-1][1].append(line)
            continue
        if pending and not line.endswith("\\"):
            shown.append((pending, []))
            pending = ""
    commands = []
    for text, output in shown:
        words = shlex.split(text, comments=True)
        words = words[: words.index("|")] if "|" in words else words
        commands.append(Shown(tuple(words), tuple(output)))
    return commands


def shell_blocks() -> list[Block]:
    blocks = []
    for document in DOCUMENTS:
        for line, language, lines in fenced_blocks(document.read_text(encoding="utf-8")):
            if language in SHELL | {"console"}:
                where = f"{document.relative_to(PROJECT_ROOT)}:{line}"
                blocks.append(Block(where, tuple(commands_in(language, lines))))
    return blocks


BLOCKS = shell_blocks()
LRKG_BLOCKS = [block for block in BLOCKS if block.lrkg()]
CURL_BLOCKS = [block for block in BLOCKS if block.curl()]


def first_line_matches(shown: Shown, output: str) -> None:
    """The first line a page shows below a command is the command's first line, unless shortened."""
    if shown.output and "…" not in shown.output[0] and not shown.output[0].startswith("{"):
        actual = output.splitlines()[0].rstrip() if output else ""
        assert actual == shown.output[0].rstrip(), f"{' '.join(shown.words)}: the page shows {shown.output[0]!r}"


# ------------------------------------------------------------------ lrkg commands, as processes


@pytest.fixture(scope="module")
def loaded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a store (and its search index) with data/ loaded, copied for each block."""
    folder = tmp_path_factory.mktemp("documented")
    subprocess.run([sys.executable, "-m", "api", "load", str(DATA_DIR), "--store", str(folder / "store")],
                   check=True, capture_output=True, timeout=300, env=_environment(folder / "store"))
    return folder


def _environment(store: Path) -> dict[str, str]:
    """The process environment with no LRKG_ setting of the machine's, and the store given."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("LRKG_")}
    return {**environment, "LRKG_STORE": str(store)}


def _page_file(page: str, language: str) -> str:
    """The one block of a language in a page: a file the page tells its reader to write."""
    text = (PROJECT_ROOT / page).read_text(encoding="utf-8")
    (block,) = [lines for _, lang, lines in fenced_blocks(text) if lang == language]
    return "\n".join(block) + "\n"


def reader_folder(folder: Path, loaded_store: Path) -> Path:
    """Where a reader runs the commands: a copy of the store, data/ and examples/, and the files
    the pages ask for (their own examples where they show one, fixtures where they name one)."""
    shutil.copytree(loaded_store, folder / ".lrkg")
    shutil.copytree(DATA_DIR, folder / "data")
    shutil.copytree(PROJECT_ROOT / "examples", folder / "examples")
    (folder / "docs").mkdir()
    shutil.copy(PROJECT_ROOT / "examples" / "review.yaml", folder / "my-review.yaml")
    (folder / "my-reviews").mkdir()
    shutil.copy(SMALL_REVIEW, folder / "my-reviews")
    shutil.copy(TEST_DATA / "pfd_excerpt.csv", folder / "reports.csv")
    shutil.copytree(TEST_DATA / "trackers", folder / "tests" / "data" / "trackers")  # docs/trackers.md names one
    (folder / "my-tracker.csv").write_text(_page_file("docs/curators.md", "csv"), encoding="utf-8")
    (folder / "my-mapping.yaml").write_text(_page_file("docs/curators.md", "yaml"), encoding="utf-8")
    return folder


@pytest.mark.parametrize("block", LRKG_BLOCKS, ids=[block.where for block in LRKG_BLOCKS])
def test_every_lrkg_command_shown_runs(block: Block, loaded_store: Path, tmp_path: Path) -> None:
    folder = reader_folder(tmp_path, loaded_store)
    for shown in block.lrkg():
        arguments = list(shown.words[1:])
        if tuple(arguments[:1]) in NOT_RUN:
            continue
        ran = subprocess.run([sys.executable, "-m", "api", *arguments], check=False, capture_output=True, text=True,
                             timeout=300, cwd=folder, env=_environment(folder / ".lrkg" / "store"))
        command = " ".join(shown.words)
        assert ran.returncode == 0, f"{block.where}: {command}\n{ran.stderr}"
        assert ran.stdout.strip() or _written_file(arguments, folder), f"{block.where}: {command} printed nothing"
        first_line_matches(shown, ran.stdout)


def _written_file(arguments: list[str], folder: Path) -> bool:
    """A command that writes a file (`-o FILE`, `--output FILE`) prints nothing: the file is its answer."""
    for flag in ("-o", "--output"):
        if flag in arguments:
            written = folder / arguments[arguments.index(flag) + 1]
            return written.exists() and written.stat().st_size > 0
    return False


def test_every_command_a_user_has_is_shown_and_run() -> None:
    run = {shown.words[1:3] for block in LRKG_BLOCKS for shown in block.lrkg()}
    for command in main.commands:
        if command != "analytics":
            assert any(words[0] == command for words in run) or (command,) in NOT_RUN, command
    for command in analytics.commands:
        assert ("analytics", command) in run, f"analytics {command}"


def test_every_command_is_in_a_shell_block() -> None:
    """A command shown in a block of no language (or another) would be run by nothing."""
    for document in DOCUMENTS:
        for line, language, lines in fenced_blocks(document.read_text(encoding="utf-8")):
            if language not in SHELL | {"console"}:
                for text in lines:
                    assert not text.strip().startswith(("lrkg ", ".venv/bin/lrkg", "curl ", "$ ")), f"{document.name}:{line}"


# ------------------------------------------------------------------ curl, through the app


@dataclass
class Request:
    """What a curl command line sends."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None


def curl_request(words: tuple[str, ...], files: Path) -> Request:
    """Read a curl command line as curl does, for the options the pages use."""
    method, url, body, as_query = "", "", None, False
    headers: dict[str, str] = {}
    form: list[tuple[str, str]] = []
    arguments = iter(re.sub(r"\$(TOKEN|LRKG_WRITE_TOKEN)\b", TOKEN, word) for word in words[1:])
    for word in arguments:
        if word == "-X":
            method = next(arguments)
        elif word == "-H":
            name, _, value = next(arguments).partition(":")
            headers[name.strip()] = value.strip()
        elif word == "-G":
            as_query = True
        elif word == "-I":
            method = "HEAD"
        elif word == "-o":
            next(arguments)
        elif word == "-OJ":
            pass
        elif word == "--data-urlencode":
            name, _, value = next(arguments).partition("=")
            form.append((name, value))
        elif word in ("-d", "--data", "--data-binary"):
            data = next(arguments)
            body = (files / data[1:]).read_bytes() if data.startswith("@") else data.encode()
        elif word.startswith(SERVER):
            url = word.removeprefix(SERVER)
        else:
            raise ValueError(f"a curl option this test does not read: {word}")
    if form and as_query:
        url += ("&" if "?" in url else "?") + urlencode(form)
    elif form:
        body = urlencode(form).encode()
    if body is not None and not any(name.lower() == "content-type" for name in headers):
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    return Request(method or ("POST" if body is not None and not as_query else "GET"), url, headers, body)


NOTES_TURTLE = '<https://example.org/note/2> <http://www.w3.org/2000/01/rdf-schema#comment> "Another note"@en .\n'
NOTES_JSONLD = {"@id": "https://example.org/note/3",
                "http://www.w3.org/2000/01/rdf-schema#comment": {"@value": "A third note", "@language": "en"}}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app over data/ in memory, writes on (with TOKEN), as `LRKG_WRITE_TOKEN=… make serve`."""
    settings = Settings(memory=True, data_dir=DATA_DIR, ontology_dir=ONTOLOGY_DIR, query_workers=1, write_token=TOKEN)
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.mark.parametrize("block", CURL_BLOCKS, ids=[block.where for block in CURL_BLOCKS])
def test_every_curl_shown_answers(block: Block, client: TestClient, tmp_path: Path) -> None:
    (tmp_path / "notes.ttl").write_text(NOTES_TURTLE, encoding="utf-8")
    (tmp_path / "more-notes.jsonld").write_text(json.dumps(NOTES_JSONLD), encoding="utf-8")
    for shown in block.curl():
        request = curl_request(shown.words, tmp_path)
        response = client.request(request.method, request.url, headers=request.headers, content=request.body)
        command = " ".join(shown.words)
        expected = SHOWN_FAILING.get(request.url)
        if expected:
            assert response.status_code == expected, f"{block.where}: {command}: {response.status_code}"
            continue
        assert 200 <= response.status_code < 300, f"{block.where}: {command}: {response.status_code} {response.text[:300]}"
        if request.method != "HEAD" and response.status_code != 204:
            assert response.content, f"{block.where}: {command}: an empty answer"
            first_line_matches(shown, response.text)


ADDRESS = re.compile(r"http://127\.0\.0\.1:8000(/[^\s`'\")<>|]*)")
SITE = "api|views|id|reports|analytics|reviews|findings|recommendations|actors|themes|search|ask|sparql|graph-store|docs|openapi.json|static"
INLINE_PATH = re.compile(rf"`(/(?:{SITE})(?:[/?][^`\s<{{…]*)?)`")
"""A path of the site written in the text as code, with no placeholder in it (`/reviews/<id>`,
`/views/sparql?query=…`); `/tmp/…` and other paths of the machine are not the site's."""
NOT_ADDRESSES = {
    "/api/ask": "needs a question: asked in full in a block",
    "/views/sparql": "needs a query: asked in full in a block",
    "/static/": "a folder of files, not a page",
}
"""Paths the text names that are not addresses a reader opens as they are, each with the reason."""


def shown_addresses() -> list[str]:
    """Every address of the server a page names outside its shell blocks (for a reader's browser),
    in full or as a path written as code."""
    addresses = []
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        for _, language, lines in fenced_blocks(text):
            if language in SHELL | {"console"}:
                for line in lines:
                    text = text.replace(line, "", 1)
        addresses += [address.rstrip(".,;:") for address in ADDRESS.findall(text)]
        addresses += INLINE_PATH.findall(text)
    return sorted(set(addresses) - NOT_ADDRESSES.keys())


@pytest.mark.parametrize("address", shown_addresses())
def test_every_address_shown_opens(address: str, client: TestClient) -> None:
    response = client.get(address)
    assert response.status_code == 200, f"{address}: {response.status_code} {response.text[:300]}"
    assert response.content
