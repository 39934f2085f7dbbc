"""Language data: inert constants and data files, no logic."""
