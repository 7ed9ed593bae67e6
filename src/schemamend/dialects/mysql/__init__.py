"""MySQL / MariaDB: quoting, introspection, schema calculation and rendering, one module each.

The package itself imports nothing: the connection layer and the introspection
reader import the modules they use (`quoting`, `introspect`) without the
dialect adapter (`dialect.py`) and what it needs.
"""
