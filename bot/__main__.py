"""``python -m bot``: the operator CLI (``bot.cli``)."""

from bot.cli import cli


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
