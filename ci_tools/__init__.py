"""Helpers the GitHub workflows call: the stack matrix and the check of a built UI."""
