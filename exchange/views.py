"""Views of exchange; every view is wrapped in neighbourhoods.access.require."""
