"""`python -m gravemap` runs the command line."""

from gravemap.cli import main

main(prog_name="gravemap")
