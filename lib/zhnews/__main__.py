"""Entry point for ``python -m zhnews``."""

from zhnews.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
