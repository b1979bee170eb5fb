"""The bodies of the command-line commands, one module each (bot/__main__.py parses)."""
