"""A throwaway PostgreSQL server for the tests, the benchmark and ``.ci/run``.

``start()`` runs ``initdb`` + ``pg_ctl`` from the PostgreSQL binaries in a temporary folder on
a free localhost port and returns a ``Server`` (``.url``, ``.stop()``). initdb refuses to run
as root: then the server runs as the ``postgres`` user (``runuser``), which owns the folder.

Command line (for ``.ci/run``)::

    python tests/pgserver.py start DIR    # prints the URL; the server keeps running
    python tests/pgserver.py stop DIR
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path


def find_bindir() -> Path | None:
    """The folder with ``initdb`` and ``pg_ctl`` (newest installed version), or None."""
    env = os.environ.get("QUIZAPP_PG_BINDIR")
    candidates = [env] if env else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(str(Path(on_path).parent))
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_user() -> list[str]:
    """The command prefix that runs a program as a non-root user (empty if we are not root)."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
    return ["runuser", "-u", "postgres", "--"]


@dataclass
class Server:
    folder: Path
    port: int
    bindir: Path

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        subprocess.run(
            [*_as_user(), str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"),
             "-m", "immediate", "-w", "stop"],
            capture_output=True, check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def start(folder: Path | None = None, *, fsync: bool = False) -> Server:
    """Start a server in ``folder`` (a new temporary one by default)."""
    bindir = find_bindir()
    if bindir is None:
        raise FileNotFoundError("no PostgreSQL server binaries (initdb, pg_ctl) found")
    folder = Path(folder or tempfile.mkdtemp(prefix="quizapp-pg-"))
    folder.mkdir(parents=True, exist_ok=True)
    prefix = _as_user()
    if prefix:
        entry = pwd.getpwnam("postgres")
        os.chown(folder, entry.pw_uid, entry.pw_gid)
        folder.chmod(0o700)
    data = folder / "data"
    subprocess.run(
        [*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
         "-E", "UTF8", "--no-sync"],
        capture_output=True, check=True,
    )
    port = _free_port()
    options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=200"
               f" -c fsync={'on' if fsync else 'off'}")
    subprocess.run(
        [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-o", options,
         "-l", str(folder / "log"), "-w", "start"],
        capture_output=True, check=True,
    )
    (folder / "port").write_text(str(port))
    return Server(folder, port, bindir)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print(__doc__, file=sys.stderr)
        return 2
    folder = Path(argv[1])
    if argv[0] == "start":
        print(start(folder).url)
        return 0
    bindir = find_bindir()
    port = int((folder / "port").read_text()) if (folder / "port").exists() else 0
    if bindir is not None:
        Server(folder, port, bindir).stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
