"""The `shop` application: global options, error handling and the command groups."""

from __future__ import annotations

import os
import sqlite3
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from shopcli import __version__
from shopcli.errors import ShopError


class ShopGroup(TyperGroup):
    """Turns domain errors into one line on stderr and an exit code, never a traceback.

    It also builds a command's Click object only when the command is used (see `_defer`).
    """

    def list_commands(self, ctx: Any) -> list[str]:
        for loader in _LOADERS:  # every command's module, to list them all
            _load(loader)
        return [*_OWNERS, *(name for name in [*_DEFERRED, *self.commands] if name not in _OWNERS)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        found = self.commands.get(cmd_name)
        if found is None and cmd_name in _OWNERS:
            _load(_OWNERS[cmd_name])
        if found is None and cmd_name in _DEFERRED:
            found = self.commands[cmd_name] = _build(_DEFERRED[cmd_name])
        return found

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return self._click_resolve_command(ctx, args)
        except Exception as exc:  # Click's UsageError; Typer bundles its own Click
            # Suggest among every command, built or not (Typer looks only at built ones).
            message = getattr(exc, "message", None)
            if isinstance(message, str) and args and message.startswith("No such command"):
                from difflib import get_close_matches

                matches = get_close_matches(args[0], self.list_commands(ctx))
                if matches:
                    names = ", ".join(repr(m) for m in matches)
                    exc.message = f"{message.rstrip('.')}. Did you mean {names}?"  # type: ignore[attr-defined]
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ShopError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except sqlite3.Error as exc:
            from shopcli.paths import db_path
            from shopcli.storage import _translate

            typer.echo(f"Error: {_translate(exc, db_path())}", err=True)
            raise typer.Exit(5) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # `shop item list | head`: the reader has all it wanted; nothing went wrong.
            _silence_stdout()
            raise typer.Exit(0) from None
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
            raise typer.Exit(70) from None


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
    add_completion=False,
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
            "--home", help="Data folder to use (overrides SHOP_HOME).", show_default=False
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
    """Registers one CLI module's commands on `app`: its own `register(app)`, or its Typer
    app as the group `group` (with `extras`: modules adding commands to that group)."""

    def __init__(self, module: str, names: tuple[str, ...], *extras: str) -> None:
        self.module, self.names, self.extras = module, names, extras

    def load(self) -> None:
        from importlib import import_module

        module = import_module(f"shopcli.cli.{self.module}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)
            return
        app.add_typer(module.app, name=self.names[0])
        for extra in self.extras:
            import_module(f"shopcli.cli.{extra}").register(module.app)


# Every top-level command, by the module that defines it, in the order of the shopper's day
# (`--help` lists them so). A command's module is imported only when it runs.
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
    _Loader("agenda", ("agenda",)),
    _Loader("invoices", ("invoice",)),
    _Loader("timelog", ("time",)),
    _Loader("costs", ("cost",)),
    _Loader("payments", ("pay",)),
    _Loader("log", ("log",)),
    _Loader("data", ("import", "export", "backup", "restore", "doctor")),
)
_OWNERS = {name: loader for loader in _LOADERS for name in loader.names}
_LOADED: set[_Loader] = set()
# name -> Typer's record of a top-level command or group, built into Click on first use.
_DEFERRED: dict[str, Any] = {}


def _load(loader: _Loader) -> None:
    """Import a command module and take what it registers out of Typer's eager build, for
    ShopGroup to build on first use.

    Typer turns every registered command into a Click object on each run; for ~70 commands
    that costs ~40 ms (signatures, type hints), and importing every command module ~15 ms,
    of which a command needs only its own (`--help` still loads them all to list them).
    """
    from typer.models import DefaultPlaceholder

    if loader in _LOADED:
        return
    _LOADED.add(loader)
    loader.load()
    for kind in ("registered_commands", "registered_groups"):
        kept = []
        for info in getattr(app, kind):
            name = info.name
            if isinstance(name, str) and not isinstance(name, DefaultPlaceholder):
                _DEFERRED[name] = info
            else:
                kept.append(info)
        setattr(app, kind, kept)


def _build(info: Any) -> Any:
    from typer.main import get_command_from_info, get_group_from_info
    from typer.models import CommandInfo

    if isinstance(info, CommandInfo):
        return get_command_from_info(
            info,
            pretty_exceptions_short=app.pretty_exceptions_short,
            rich_markup_mode=app.rich_markup_mode,
        )
    return get_group_from_info(
        info,
        pretty_exceptions_short=app.pretty_exceptions_short,
        rich_markup_mode=app.rich_markup_mode,
        suggest_commands=app.suggest_commands,
    )


def main() -> None:
    """Console entry point."""
    try:
        app()
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(0)
    except KeyboardInterrupt:
        typer.echo("Interrupted; nothing half-written was kept.", err=True)
        sys.exit(130)
