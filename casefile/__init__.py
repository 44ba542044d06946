"""Casefile: a static investigative microsite generator.

The version lives here alone: pyproject.toml reads it (``[tool.setuptools.dynamic]``), ``casefile --version`` prints
it, and ``casefile init`` pins a new site's workflow to it. Importing this module loads nothing else.
"""

__version__ = "0.2.0"
