"""The ``chalkgrad`` command: one module per subcommand (draw, steps, check, quiz, demo),
the shared options (options) and the parser with ``main`` (command)."""
