"""The `shop` application: global options, error handling and the command groups."""

from __future__ import annotations

import gc

# Starting a command makes ~50,000 objects the collector tracks (Typer, Click, pydantic), which
# live until it ends: collecting would walk them over and over (~25 ms of every command). It is
# paused until the command itself runs (`ShopGroup.invoke`), and then, in the `shop` program
# (`main`), those objects are set aside for good (`gc.freeze`): the command's own garbage is
# collected as usual.
gc.disable()
_FREEZE_START = False  # set by `main`: not in a test process, which runs many commands

import os  # noqa: E402
import sqlite3  # noqa: E402
import sys  # noqa: E402
from typing import Annotated, Any  # noqa: E402

import typer  # noqa: E402
from typer.core import TyperGroup  # noqa: E402

from shopcli import __version__  # noqa: E402
from shopcli.cli.help_text import tidy_help  # noqa: E402
from shopcli.core.errors import ExitStatus, ShopError  # noqa: E402


class _Suggesting(TyperGroup):
    """A group whose "No such command" suggests among all its commands, built or not (Typer
    looks only at those built)."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except Exception as exc:  # Click's UsageError (Typer may bundle its own Click)
            message = getattr(exc, "message", None)
            if (
                isinstance(message, str)
                and args
                and message.startswith("No such command")
                and "Did you mean" not in message
            ):
                from difflib import get_close_matches

                matches = get_close_matches(args[0], self.list_commands(ctx))
                if matches:
                    names = ", ".join(repr(m) for m in matches)
                    # Click's UsageError, caught as Exception: Click is not imported to name it.
                    exc.message = f"{message.rstrip('.')}. Did you mean {names}?"  # type: ignore[attr-defined]
            raise


class ShopGroup(_Suggesting):
    """Turns domain errors into one line on stderr and an exit code, never a traceback.

    It also builds a command only when it is used: see `_Loader`.
    """

    def list_commands(self, ctx: Any) -> list[str]:
        return [name for loader in _LOADERS for name in loader.names]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        found = _BUILT.get(cmd_name)
        if found is None and cmd_name in _OWNERS:
            found = _BUILT[cmd_name] = _OWNERS[cmd_name].build(cmd_name)
        return found

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """`--help`'s list of commands, from the summaries kept in cli/summaries.py.

        Asking each command for its summary would build every command (~400 of them with
        their options): more than all the rest of `--help`. The kept file is written from
        the commands by `python -m shopcli.cli.command_reference`, and tests/test_fast_paths.py
        fails when it differs from them; should a command be missing from it, the commands
        are built and asked, as Click does.
        """
        from shopcli.cli.summaries import SUMMARIES

        names = self.list_commands(ctx)
        if not all(isinstance(SUMMARIES.get(name), str) for name in names):
            super().format_commands(ctx, formatter)
            return
        # The heading as Click writes it, through the same gettext (Click's message, not one
        # of shopcli's catalogs: named so that the catalog extractor passes it by).
        from gettext import gettext as clicks_own

        with formatter.section(clicks_own("Commands")):
            formatter.write_dl([(name, SUMMARIES[name]) for name in names])

    def invoke(self, ctx: Any) -> Any:
        import warnings

        from shopcli.core.errors import ShopWarning

        if _FREEZE_START:
            gc.freeze()
        gc.enable()  # the start is over (see the top of this module): the command runs now

        with warnings.catch_warnings(record=True) as noted:
            warnings.simplefilter("always", ShopWarning)
            try:
                return self._invoke(ctx)
            finally:
                for note in noted:
                    if issubclass(note.category, ShopWarning):
                        typer.echo(f"Warning: {note.message}", err=True)

    def _invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ShopError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(int(exc.exit_code)) from None
        except sqlite3.Error as exc:
            from shopcli.core.paths import db_path
            from shopcli.storage import translate_error

            typer.echo(f"Error: {translate_error(exc, db_path())}", err=True)
            raise typer.Exit(ExitStatus.STORAGE) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # `shop item list | head`: the reader has all it wanted; nothing went wrong.
            _silence_stdout()
            raise typer.Exit(ExitStatus.OK) from None
        except OSError as exc:
            # A full disk under standard output (`shop propose 2 > /dev/full`), a device that
            # failed: the system's reason, never the file's name (it may name a client). What
            # a command recorded before its output failed stays recorded, so the shopper is
            # told to look before running it again.
            if os.environ.get("SHOP_DEBUG"):
                raise
            reason = exc.strerror or type(exc).__name__
            typer.echo(
                f"Error: reading or writing failed: {reason}; what the command recorded before "
                "it failed is kept (`shop log JOB` shows it): check before running it again",
                err=True,
            )
            raise typer.Exit(ExitStatus.STORAGE) from None
        except Exception as exc:
            # Usage errors belong to the framework: it prints usage and exits 2.
            if type(exc).__module__.split(".")[0] in {"click", "typer"}:
                raise
            if os.environ.get("SHOP_DEBUG"):
                raise
            # Never print locals or record contents: only the kind of failure.
            typer.echo(
                f"Error: unexpected {type(exc).__name__}; nothing more is shown to keep client "
                "data private (set SHOP_DEBUG=1 for a traceback)",
                err=True,
            )
            raise typer.Exit(ExitStatus.UNEXPECTED) from None


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the final flush does not fail on a closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


app = typer.Typer(
    cls=ShopGroup,
    name="shop",
    help="Records, proposals and invoices for a solo personal shopper.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    pretty_exceptions_short=True,
    rich_markup_mode=None,
    # `shop --install-completion` (bash, zsh, fish): names and numbers come from cli/complete.
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"shop {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    home: Annotated[
        str | None,
        typer.Option(
            "--home",
            help="Data folder to use (overrides SHOP_HOME).",
            show_default=False,
            metavar="DIR",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Records, proposals and invoices for a solo personal shopper."""
    if home:
        os.environ["SHOP_HOME"] = home


class _Loader:
    """One CLI module's top-level commands, each built into a Click command on first use.

    A module either has its own Typer app, the group `names[0]` (with `extras`: modules
    adding commands to that group), or a `register(app)` that adds top-level commands.
    Typer builds a group with all its commands (for `shop item`, ~30 ms of signatures and
    type hints); here only the command run is built: a group's commands wait until used
    (`_LazyGroup`). Typer's `registered_commands`, `registered_groups` and `info` are read
    to do so; tests/test_fast_paths.py fails loudly should a Typer release rename them.
    """

    def __init__(self, module: str, names: tuple[str, ...], *extras: str) -> None:
        self.module, self.names, self.extras = module, names, extras
        self._holder: typer.Typer | None = None

    def _prepared(self) -> typer.Typer:
        """A Typer holding the module's top-level commands (made once per process)."""
        if self._holder is None:
            from importlib import import_module

            module = import_module(f"shopcli.cli.{self.module}")
            holder = typer.Typer(rich_markup_mode=app.rich_markup_mode, add_completion=False)
            register = getattr(module, "register", None)
            if register is not None:
                register(holder)
            else:
                for extra in self.extras:
                    import_module(f"shopcli.cli.{extra}").register(module.app)
                module.app.rich_markup_mode = app.rich_markup_mode
                holder.add_typer(module.app, name=self.names[0])
            self._holder = holder
        return self._holder

    def build(self, name: str) -> Any:
        """The top-level command `name`, built alone."""
        return tidy_help(_build_one(self._prepared(), name))


def _command_name(info: Any) -> str:
    from typer.main import get_command_name

    return info.name or get_command_name(info.callback.__name__)


def _build_one(source: typer.Typer, name: str) -> Any:
    """The command or group `name` of the Typer app `source`, built without its siblings."""
    for info in source.registered_commands:
        if _command_name(info) == name:
            return _single(info)
    for group in source.registered_groups:
        if group.name == name:
            return _lazy(group)
    raise KeyError(name)


def _single(info: Any) -> Any:
    """One command, built alone as Typer builds it in a group."""
    from typer.main import get_command

    alone = typer.Typer(rich_markup_mode=app.rich_markup_mode, add_completion=False)
    alone.registered_commands.append(info)
    return get_command(alone)


def _lazy(info: Any) -> Any:
    """A group (from `add_typer`), built with its own options and help but none of its
    commands: each is built when it is first asked for."""
    import copy
    from functools import partial

    from typer.main import get_command

    source = info.typer_instance
    shell = copy.copy(source)
    shell.registered_commands, shell.registered_groups = [], []
    shell.info = copy.copy(source.info)
    own = source.info.cls  # a module's own group class (`shop invoice JOB`), else a placeholder
    shell.info.cls = (
        type(f"Lazy{own.__name__}", (_LazyGroup, own), {})
        if isinstance(own, type) and issubclass(own, TyperGroup)
        else _LazyGroup
    )
    placed = copy.copy(info)
    placed.typer_instance = shell
    holder = typer.Typer(rich_markup_mode=app.rich_markup_mode, add_completion=False)
    holder.callback()(_no_options)
    holder.registered_groups.append(placed)
    group = get_command(holder).commands[info.name]  # type: ignore[attr-defined]
    names = [_command_name(c) for c in source.registered_commands]
    names += [g.name for g in source.registered_groups]
    group.pending = {name: partial(_build_one, source, name) for name in names}
    return group


class _LazyGroup(_Suggesting):
    """A command group whose commands are built when first asked for (`pending`)."""

    pending: dict[str, Any] = {}

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.pending) or super().list_commands(ctx)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        found = self.commands.get(cmd_name)
        if found is None and cmd_name in self.pending:
            found = self.commands[cmd_name] = tidy_help(self.pending[cmd_name]())
        return found


def _no_options() -> None:
    """The holder of one module's top-level commands."""


# Every top-level command, by the module that defines it, in the order of the shopper's day
# (`--help` lists them so). A command's module is imported only when it runs: building every
# command costs ~40 ms (signatures, type hints) and importing every module ~15 ms.
_LOADERS = (
    _Loader("setup", ("init", "path")),
    _Loader("demo", ("demo",)),
    _Loader("profile", ("profile",)),
    _Loader("clients", ("client",), "privacy"),
    _Loader("recipients", ("recipient",)),
    _Loader("jobs", ("job",)),
    _Loader("budgets", ("budget",)),
    _Loader("rates", ("rate",)),
    _Loader("items", ("item",), "delivery"),
    _Loader("proposals", ("propose", "approve", "reject", "change", "decide", "proposal")),
    _Loader("templates", ("templates",)),
    _Loader("notify", ("notify",)),
    _Loader("handover", ("handover", "labels")),
    _Loader("feedback", ("feedback",)),
    _Loader("agenda", ("agenda",)),
    _Loader("calendar", ("calendar",)),
    _Loader("invoices", ("invoice",), "reminders"),
    _Loader("timelog", ("time",)),
    _Loader("costs", ("cost",)),
    _Loader("receipts", ("receipt",)),
    _Loader("payments", ("pay", "payment")),
    _Loader("books", ("books",)),
    _Loader("report", ("report",)),
    _Loader("log", ("log",)),
    _Loader("data", ("import", "export", "backup", "restore", "doctor")),
)
_OWNERS = {name: loader for loader in _LOADERS for name in loader.names}
# Commands built so far, by name: built once per process (CliRunner tests invoke many times).
_BUILT: dict[str, Any] = {}


def main() -> None:
    """Console entry point."""
    global _FREEZE_START
    _FREEZE_START = True
    try:
        app()
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(ExitStatus.OK)
    except KeyboardInterrupt:
        typer.echo("Interrupted; nothing half-written was kept.", err=True)
        sys.exit(ExitStatus.INTERRUPTED)
