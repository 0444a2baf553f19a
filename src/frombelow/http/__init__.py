"""What the pages and the API share about a request: who is asking, and how often they may act.

Apart from `frombelow.config`, which only Django imports (docs/decisions/0002), and below both
edges, which may not import each other.
"""
