"""The menu: the menus.yaml file format, loading and checking it, business hours.

Pure: imports neither Flask, the database layer nor click.
"""
