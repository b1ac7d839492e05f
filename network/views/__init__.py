"""Views of network, one module per feature (see each module)."""
