"""Interfaces over ``sporbar.api``: the command line now, HTTP and web later."""
