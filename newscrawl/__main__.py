from newscrawl.cli import cli

cli(prog_name="newscrawl")
