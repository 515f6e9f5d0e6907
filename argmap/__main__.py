"""``python -m argmap`` runs the CLI."""

from argmap.cli import main

main()
