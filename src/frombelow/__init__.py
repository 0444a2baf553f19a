"""frombelow: self-government from below for assemblies and their federations."""

__version__ = "0.1.0"
