"""`quizapp serve` without a browser: options, the app command it spawns, the remote guard.

The browser itself is in tests/web/test_serve.py.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp import serve
from quizapp.cli import Context, build_parser, main
from quizapp.i18n import t

ROOT = Path(__file__).resolve().parents[2]


def parse(*argv: str):
    return build_parser().parse_args(list(argv))


def test_defaults_bind_to_this_machine_on_port_8000():
    args = parse("serve")
    assert (args.host, args.port, args.allow_remote, args.public_url) == ("127.0.0.1", 8000,
                                                                           False, None)
    assert serve.app_command(args) == [sys.executable, "-m", "quizapp"]


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]",
                                  "LOCALHOST", "app.localhost"])
def test_loopback_hosts_are_local(host):
    assert serve.is_local(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5", "10.0.0.1", "example.org",
                                  "localhost.example.org"])
def test_other_hosts_are_not_local(host):
    assert not serve.is_local(host)


def test_every_global_option_is_forwarded_to_the_app_process(tmp_path):
    # A global option the command line gains later (e.g. --db, --profile) must be forwarded:
    # every option of the top-level parser except --help/--version is in serve.FORWARDED.
    parser = build_parser()
    globals_ = {a.dest for a in parser._actions if a.option_strings} - {"help", "version"}
    assert globals_ <= {name for _, name, _ in serve.FORWARDED}
    args = parse("--lang", "en", "serve", "--data-dir", str(tmp_path / "d"),
                 "--packs", "rel/packs", "--packs", str(tmp_path / "p"),
                 "--port", "8123", "--", "study", "--template", "a.b", "--seed", "3")
    argv = serve.app_command(args)
    assert argv[:3] == [sys.executable, "-m", "quizapp"]
    app = parse(*argv[3:])  # the app process parses it like any quizapp command line
    assert app.lang == "en"
    assert app.data_dir == str(tmp_path / "d")
    assert app.packs == [str(Path("rel/packs").resolve()), str(tmp_path / "p")]  # absolute
    assert (app.command, app.template, app.seed) == ("study", "a.b", 3)


def test_a_path_with_spaces_survives_the_shell(tmp_path):
    data = tmp_path / "my data; rm -rf x"
    args = parse("--data-dir", str(data), "serve")
    assert shlex.split(shlex.join(serve.app_command(args)))[4] == str(data)


def test_the_app_command_starts_the_app_in_this_environment(tmp_path):
    # Everything up to the TUI: `--help` of the spawned command line, from another folder.
    args = parse("--lang", "en", "--data-dir", str(tmp_path), "serve", "--", "exam")
    argv = serve.app_command(args) + ["--help"]
    out = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=60,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    assert "--preset" in out.stdout


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_remote_host_needs_allow_remote(lang, capsys):
    assert main(["--lang", lang, "serve", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert t("serve.remote_needs_flag", lang, host="0.0.0.0") in err


def test_only_study_or_exam_open_in_the_browser(capsys):
    assert main(["--lang", "en", "serve", "--", "stats"]) == 2
    assert "stats" in capsys.readouterr().err


@pytest.mark.parametrize("port", ["0", "65536", "http"])
def test_bad_ports_are_refused(port, capsys):
    with pytest.raises(SystemExit):
        parse("serve", "--port", port)


class FakeServer:
    """Stands in for textual_serve.server.Server: records what serve() would have served."""

    made: list[dict] = []

    def __init__(self, command, **kwargs):
        FakeServer.made.append({"command": command, **kwargs})

    def serve(self):
        FakeServer.made[-1]["served"] = True


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_allow_remote_serves_and_warns_there_is_no_authentication(lang, monkeypatch, capsys):
    import textual_serve.server

    monkeypatch.setattr(textual_serve.server, "Server", FakeServer)
    FakeServer.made.clear()
    args = parse("--lang", lang, "serve", "--host", "0.0.0.0", "--allow-remote", "--port",
                 "9000", "--public-url", "https://quiz.example.org", "--", "study")
    assert serve.cmd_serve(Context(args)) == 0
    err = capsys.readouterr().err
    assert t("serve.no_auth_warning", lang, host="0.0.0.0") in err
    [made] = FakeServer.made
    assert made["host"] == "0.0.0.0" and made["port"] == 9000 and made["served"]
    assert made["public_url"] == "https://quiz.example.org"
    assert shlex.split(made["command"]) == [sys.executable, "-m", "quizapp", "--lang", lang,
                                            "study"]


def test_a_local_host_serves_without_a_warning(monkeypatch, capsys):
    import textual_serve.server

    monkeypatch.setattr(textual_serve.server, "Server", FakeServer)
    FakeServer.made.clear()
    assert serve.cmd_serve(Context(parse("--lang", "en", "serve"))) == 0
    assert capsys.readouterr().err == ""
    assert FakeServer.made[0]["host"] == "127.0.0.1"


def test_the_command_line_does_not_import_textual_serve():
    code = ("import sys; from quizapp.cli import build_parser; build_parser(); "
            "print(any(m.startswith(('textual_serve', 'aiohttp')) for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_the_served_page_asks_no_third_party_for_fonts():
    """textual-serve's page links Google Fonts; quizapp serves it without that link."""
    pytest.importorskip("textual_serve")
    from quizapp.serve import page_template_option

    folder = page_template_option()["templates_path"]
    page = (folder / "app_index.html").read_text(encoding="utf-8")
    assert "googleapis" not in page and "gstatic" not in page
    assert "js/textual.js" in page and "{{ config.static.url }}" in page  # otherwise intact
