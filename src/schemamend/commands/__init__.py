"""One function per verb, returning a report object; nothing here prints.

This is schemamend's Python API: the CLI only parses arguments, calls these
functions and turns their reports into text or JSON.
"""
